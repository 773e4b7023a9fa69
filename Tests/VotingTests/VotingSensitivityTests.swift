import Testing
import Voting

@Suite struct VotingSensitivityTests {
    /// MassGen configs spell these values; loading them unchanged depends on the raw values.
    @Test func rawValuesMatchMassGen() {
        #expect(VotingSensitivity.allCases.map(\.rawValue) == ["lenient", "balanced", "strict"])
        #expect(VotingSensitivity(rawValue: "strict") == .strict)
        #expect(VotingSensitivity(rawValue: "Strict") == nil)
    }
}
