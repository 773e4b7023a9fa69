/// One candidate answer as the tally sees it.
public struct TallyCandidate: Sendable, Hashable, Codable {
    /// Anonymous id (`agent1…`).
    public var anonymousID: String
    /// Position in the configuration (0-based); the last tie-breaker.
    public var configIndex: Int
    /// Counted votes.
    public var votes: Int
    /// Test evidence of the candidate's latest answer (`nil`: no test command).
    public var evidence: TestEvidence?
    /// Lines added + removed against the base.
    public var diffLines: Int

    /// Creates a candidate.
    public init(anonymousID: String, configIndex: Int, votes: Int, evidence: TestEvidence?, diffLines: Int) {
        self.anonymousID = anonymousID
        self.configIndex = configIndex
        self.votes = votes
        self.evidence = evidence
        self.diffLines = diffLines
    }
}

/// A candidate's place in the ranking, with the keys that decided it.
public struct TallyEntry: Sendable, Hashable, Codable {
    /// Anonymous id.
    public var anonymousID: String
    /// Counted votes.
    public var votes: Int
    /// Whether its tests passed (`nil`: not tested).
    public var testsPassed: Bool?
    /// Passing tests counted from the runner's output.
    public var passedCount: Int?
    /// Lines changed against the base.
    public var diffLines: Int
    /// Which key put it ahead of the next entry: `votes`, `tests`, `diff_size`, `config_order`, or
    /// `nil` for the last entry.
    public var decidedBy: String?
}

/// Ranks candidate answers: most votes; ties by more passing tests, then smaller diff, then
/// configuration order. With no votes at all the same order yields the best-tested answer.
///
/// "More passing tests" compares, in turn: a passing run beats a failing one beats no run, then
/// the number of passing tests the runner reported (unknown counts as 0).
public enum BallotTally {
    /// Candidates in ranking order, winner first, each with the key that separated it from the next.
    public static func rank(_ candidates: [TallyCandidate]) -> [TallyEntry] {
        let sorted = candidates.sorted { compare($0, $1) == .ahead }
        return sorted.enumerated().map { position, candidate in
            let next = position + 1 < sorted.count ? sorted[position + 1] : nil
            return TallyEntry(
                anonymousID: candidate.anonymousID, votes: candidate.votes,
                testsPassed: candidate.evidence?.passed,
                passedCount: candidate.evidence?.passedCount, diffLines: candidate.diffLines,
                decidedBy: next.map { deciding(candidate, $0) })
        }
    }

    /// The winner, or `nil` when there are no candidates.
    public static func winner(_ candidates: [TallyCandidate]) -> TallyCandidate? {
        candidates.min { compare($0, $1) == .ahead }
    }

    private enum Order { case ahead, behind, tied }

    private static func testRank(_ candidate: TallyCandidate) -> (Int, Int) {
        guard let evidence = candidate.evidence, evidence.ran else { return (0, 0) }
        return (evidence.passed ? 2 : 1, evidence.passedCount ?? 0)
    }

    private static func keys(_ a: TallyCandidate, _ b: TallyCandidate) -> [(String, Order)] {
        func order<T: Comparable>(_ x: T, _ y: T, largerWins: Bool) -> Order {
            if x == y { return .tied }
            return (x > y) == largerWins ? .ahead : .behind
        }
        let (aPass, aCount) = testRank(a)
        let (bPass, bCount) = testRank(b)
        return [
            ("votes", order(a.votes, b.votes, largerWins: true)),
            ("tests", order(aPass, bPass, largerWins: true)),
            ("tests", order(aCount, bCount, largerWins: true)),
            ("diff_size", order(a.diffLines, b.diffLines, largerWins: false)),
            ("config_order", order(a.configIndex, b.configIndex, largerWins: false)),
        ]
    }

    private static func compare(_ a: TallyCandidate, _ b: TallyCandidate) -> Order {
        keys(a, b).first { $0.1 != .tied }?.1 ?? .tied
    }

    private static func deciding(_ a: TallyCandidate, _ b: TallyCandidate) -> String {
        keys(a, b).first { $0.1 != .tied }?.0 ?? "config_order"
    }
}
