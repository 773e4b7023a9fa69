/// Blind ballots: which anonymous id each agent answers under, and in which order each agent
/// sees the other answers — both drawn from one seed recorded with the session, so a run can be
/// replayed exactly.
///
/// Ids are `agent1…agentN` assigned by a seeded permutation, so they reveal neither an agent's
/// name, its model, nor its place in the configuration. The order of answers in a context is
/// shuffled per agent and per round (the answer serial the context is built at), so no answer
/// is always first, the place models favour.
public struct BallotPlan: Sendable, Hashable {
    /// The seed everything is drawn from.
    public let seed: UInt64
    /// The anonymous id of each agent, by configuration position.
    public let anonymousIDs: [String]

    /// The plan for `agentCount` agents from `seed`.
    public init(agentCount: Int, seed: UInt64) {
        self.seed = seed
        var generator = SplitMix64(seed: seed)
        let labels = (1...max(1, agentCount)).map { "agent\($0)" }
        anonymousIDs = Array(Self.shuffled(labels, using: &generator).prefix(agentCount))
    }

    /// A fresh random seed.
    public static func randomSeed() -> UInt64 { UInt64.random(in: .min ... .max) }

    /// `ids` in the order agent `viewer` (configuration position) sees them in a context built
    /// at answer serial `serial`.
    public func order(_ ids: [String], viewer: Int, serial: Int) -> [String] {
        var generator = SplitMix64(
            seed: seed ^ (UInt64(viewer + 1) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(serial + 1) &* 0xC2B2_AE3D_27D4_EB4F))
        return Self.shuffled(ids.sorted(), using: &generator)
    }

    /// Fisher–Yates with our own generator: the standard library's `shuffle` may change its
    /// algorithm between releases, which would break replays of recorded sessions.
    static func shuffled(_ items: [String], using generator: inout SplitMix64) -> [String] {
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            let other = Int(generator.next() % UInt64(index + 1))
            result.swapAt(index, other)
        }
        return result
    }
}

/// SplitMix64 (Steele, Lea and Flood), a small seeded generator: the standard library has no
/// seedable one, and replays need the same numbers from the same seed on every platform.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
