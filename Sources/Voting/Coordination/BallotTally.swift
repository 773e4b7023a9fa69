/// How eligible answers are ordered (`orchestrator.voting_policy`). The gate holds under both.
public enum VotingPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Tests pass, then fewer failing tests, then votes (mg's default: evidence first).
    case evidenceFirst = "evidence_first"
    /// Votes, then tests (MassGen's order), among answers that pass the gate.
    case votesFirst = "votes_first"
}

/// One candidate answer as the tally sees it.
public struct TallyCandidate: Sendable, Hashable {
    /// Anonymous id (`agent1…`).
    public var anonymousID: String
    /// Position in the configuration (0-based); the last tie-breaker.
    public var configIndex: Int
    /// Counted votes.
    public var votes: Int
    /// Test evidence of the candidate's latest answer (`nil`: no test command).
    public var evidence: AnswerEvidence?
    /// Lines added + removed against the base.
    public var diffLines: Int
    /// Whether it may land, and why.
    public var verdict: GateVerdict
    /// True when the answer changes nothing (it says nothing needs to change).
    public var noChange: Bool
    /// True when it modified or deleted existing test files.
    public var changesTests: Bool

    /// Creates a candidate.
    public init(
        anonymousID: String, configIndex: Int, votes: Int, evidence: AnswerEvidence?, diffLines: Int,
        verdict: GateVerdict = GateVerdict(eligible: true, rule: "not judged"), noChange: Bool = false,
        changesTests: Bool = false
    ) {
        self.changesTests = changesTests
        self.anonymousID = anonymousID
        self.configIndex = configIndex
        self.votes = votes
        self.evidence = evidence
        self.diffLines = diffLines
        self.verdict = verdict
        self.noChange = noChange
    }
}

/// A candidate's place in the ranking, with the keys that decided it.
public struct TallyEntry: Sendable, Hashable, Codable {
    /// Anonymous id.
    public var anonymousID: String
    /// Counted votes.
    public var votes: Int
    /// Whether its judged tests passed (`nil`: not tested).
    public var testsPassed: Bool?
    /// Passing tests counted from the runner's output.
    public var passedCount: Int?
    /// Failing tests of the judged run (0 when they pass, `nil` when not tested).
    public var failingCount: Int?
    /// Lines changed against the base.
    public var diffLines: Int
    /// True when it passed the gate and may land.
    public var eligible: Bool
    /// The gate's rule for it ("tests pass", "breaks test_b, which passed on the base", …).
    public var rule: String
    /// True when it modified or deleted existing test files.
    public var changesTests: Bool
    /// True when it changes nothing.
    public var noChange: Bool
    /// Which key put it ahead of the next entry: `gate`, `tests`, `failing_tests`, `votes`,
    /// `changes`, `diff_size`, `config_order`, or `nil` for the last entry.
    public var decidedBy: String?
}

/// Ranks candidate answers (DESIGN §1.6a). Answers that pass the gate come first; among them,
/// by default: tests pass ahead of partial progress, then fewer failing tests, then votes, then
/// an answer that changes something ahead of one that says nothing needs to change, then the
/// smaller diff, then configuration order. `votes_first` puts votes before the tests (MassGen's
/// order) but never lets an answer past the gate. Answers that fail the gate follow, in the
/// same order, so reports can show them.
public enum BallotTally {
    /// Candidates in ranking order, best first, each with the key that separated it from the next.
    public static func rank(_ candidates: [TallyCandidate], policy: VotingPolicy = .evidenceFirst) -> [TallyEntry] {
        let sorted = candidates.sorted { compare($0, $1, policy) == .ahead }
        return sorted.enumerated().map { position, candidate in
            let next = position + 1 < sorted.count ? sorted[position + 1] : nil
            let judged = candidate.evidence?.judged
            return TallyEntry(
                anonymousID: candidate.anonymousID, votes: candidate.votes, testsPassed: judged?.passed,
                passedCount: judged?.passedCount, failingCount: judged?.failingCount, diffLines: candidate.diffLines,
                eligible: candidate.verdict.eligible, rule: candidate.verdict.rule,
                changesTests: candidate.changesTests, noChange: candidate.noChange,
                decidedBy: next.map { deciding(candidate, $0, policy) })
        }
    }

    private enum Order { case ahead, behind, tied }

    private static func keys(_ a: TallyCandidate, _ b: TallyCandidate, _ policy: VotingPolicy) -> [(String, Order)] {
        func order<T: Comparable>(_ x: T, _ y: T, largerWins: Bool) -> Order {
            if x == y { return .tied }
            return (x > y) == largerWins ? .ahead : .behind
        }
        func passing(_ candidate: TallyCandidate) -> Int {
            guard let judged = candidate.evidence?.judged, judged.ran else { return 0 }
            return judged.passed ? 1 : 0
        }
        func failing(_ candidate: TallyCandidate) -> Int { candidate.evidence?.judged.failingCount ?? 0 }
        func flag(_ value: Bool) -> Int { value ? 1 : 0 }
        let gate = ("gate", order(flag(a.verdict.eligible), flag(b.verdict.eligible), largerWins: true))
        let tests = ("tests", order(passing(a), passing(b), largerWins: true))
        let failingTests = ("failing_tests", order(failing(a), failing(b), largerWins: false))
        let votes = ("votes", order(a.votes, b.votes, largerWins: true))
        let tail = [
            ("changes", order(flag(!a.noChange), flag(!b.noChange), largerWins: true)),
            ("diff_size", order(a.diffLines, b.diffLines, largerWins: false)),
            ("config_order", order(a.configIndex, b.configIndex, largerWins: false)),
        ]
        switch policy {
        case .evidenceFirst: return [gate, tests, failingTests, votes] + tail
        case .votesFirst: return [gate, votes, tests, failingTests] + tail
        }
    }

    private static func compare(_ a: TallyCandidate, _ b: TallyCandidate, _ policy: VotingPolicy) -> Order {
        keys(a, b, policy).first { $0.1 != .tied }?.1 ?? .tied
    }

    private static func deciding(_ a: TallyCandidate, _ b: TallyCandidate, _ policy: VotingPolicy) -> String {
        keys(a, b, policy).first { $0.1 != .tied }?.0 ?? "config_order"
    }
}
