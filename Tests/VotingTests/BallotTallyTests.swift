import Testing
import Voting

@Suite struct BallotTallyTests {
    private func evidence(passed: Bool, failing: [String] = [], count: Int? = nil) -> AnswerEvidence {
        AnswerEvidence(
            own: TestEvidence(
                command: "sh test.sh", ran: true, passed: passed, exitCode: passed ? 0 : 1, timedOut: false,
                passedCount: count, failedCount: passed ? 0 : max(1, failing.count), failedTests: failing,
                outputTail: "", failureReason: nil, durationMilliseconds: 5))
    }

    private func candidate(
        _ index: Int, votes: Int, _ evidence: AnswerEvidence?, diff: Int, eligible: Bool = true, noChange: Bool = false
    ) -> TallyCandidate {
        TallyCandidate(
            anonymousID: "agent\(index + 1)", configIndex: index, votes: votes, evidence: evidence,
            diffLines: diff, verdict: GateVerdict(eligible: eligible, rule: eligible ? "ok" : "excluded"),
            noChange: noChange)
    }

    @Test func passingTestsBeatMoreVotes() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 1, evidence(passed: true), diff: 2),
            candidate(1, votes: 2, evidence(passed: false, failing: ["a"]), diff: 1, eligible: false),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent1", "agent2"])
        #expect(ranking.first?.decidedBy == "gate")
        #expect(ranking.map(\.eligible) == [true, false])
    }

    @Test func amongEligibleAnswersPassingBeatsPartialProgressThenFewerFailuresThenVotes() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 3, evidence(passed: false, failing: ["a", "b"]), diff: 2),
            candidate(1, votes: 0, evidence(passed: false, failing: ["a"]), diff: 9),
            candidate(2, votes: 0, evidence(passed: true), diff: 9),
            candidate(3, votes: 1, evidence(passed: true), diff: 9),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent4", "agent3", "agent2", "agent1"])
        #expect(ranking.map(\.decidedBy) == ["votes", "tests", "failing_tests", nil])
        #expect(ranking.map(\.failingCount) == [0, 0, 1, 2])
    }

    @Test func votesFirstKeepsMassGensOrderButNotPastTheGate() {
        let candidates = [
            candidate(0, votes: 1, evidence(passed: true), diff: 2),
            candidate(1, votes: 2, evidence(passed: false, failing: ["a"]), diff: 1),
            candidate(2, votes: 3, evidence(passed: false, failing: ["b"]), diff: 1, eligible: false),
        ]
        let ranking = BallotTally.rank(candidates, policy: .votesFirst)
        #expect(ranking.map(\.anonymousID) == ["agent2", "agent1", "agent3"])
        #expect(ranking.map(\.decidedBy) == ["votes", "gate", nil])
        #expect(BallotTally.rank(candidates).map(\.anonymousID) == ["agent1", "agent2", "agent3"])
    }

    @Test func thenAChangeBeforeNoChangeThenSmallerDiffThenConfigurationOrder() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 0, evidence(passed: true), diff: 0, noChange: true),
            candidate(1, votes: 0, evidence(passed: true), diff: 10),
            candidate(2, votes: 0, evidence(passed: true), diff: 4),
            candidate(3, votes: 0, evidence(passed: true), diff: 4),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent3", "agent4", "agent2", "agent1"])
        #expect(ranking.map(\.decidedBy) == ["config_order", "diff_size", "changes", nil])
        // A no-change answer wins only with more votes.
        let voted = BallotTally.rank([
            candidate(0, votes: 2, evidence(passed: true), diff: 0, noChange: true),
            candidate(1, votes: 1, evidence(passed: true), diff: 10),
        ])
        #expect(voted.first?.anonymousID == "agent1")
        #expect(voted.first?.noChange == true)
    }

    @Test func untestedAnswersAreOrderedByVotes() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 0, nil, diff: 1),
            candidate(1, votes: 1, nil, diff: 30),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent2", "agent1"])
        #expect(ranking.first?.testsPassed == nil)
        #expect(BallotTally.rank([]).isEmpty)
    }
}
