import Foundation
import GitWorkspace

/// The base's own test run: started with the session on a scratch checkout of the base, in
/// parallel with the agents (it never delays them), and awaited only by what needs it — an
/// answer saying nothing needs to change, and the decision at the end of the round.
public struct BaselineRun: Sendable {
    private let task: Task<TestEvidence?, Never>?

    /// No baseline (no test command).
    public static let none = BaselineRun(task: nil)

    /// Starts the run of `evidence`'s command on `tree`; records and announces the result.
    static func start(
        evidence: EvidenceRunner, tree: ObjectID, repositoryRoot: String, session: String,
        events: SessionEvents, recorder: any SessionRecorder
    ) -> BaselineRun {
        guard evidence.command != nil else { return .none }
        let task = Task { () -> TestEvidence? in
            guard
                let result = await evidence.run(
                    onTree: tree, repositoryRoot: repositoryRoot, session: session, name: "base")
            else { return nil }
            do {
                try await recorder.record(.baseline(result))
            } catch {
                await events.emit(.error) { $0.message = "The session store could not record the baseline: \(error)" }
            }
            await events.emit(.baseline) {
                $0.passed = result.passed
                $0.passedCount = result.passedCount
                $0.failedTests = result.failedTests
                $0.detail = result.headline
            }
            return result
        }
        return BaselineRun(task: task)
    }

    /// The result, once the run has finished; `nil` without a test command.
    public var result: TestEvidence? {
        get async { await task?.value }
    }
}
