import Testing
import Voting

@Suite struct BallotTallyTests {
    private func evidence(passed: Bool, count: Int? = nil) -> TestEvidence {
        TestEvidence(
            command: "sh test.sh", ran: true, passed: passed, exitCode: passed ? 0 : 1, timedOut: false,
            passedCount: count,
            failedCount: nil, failedTests: [], outputTail: "", failureReason: nil, durationMilliseconds: 5)
    }

    private func candidate(_ index: Int, votes: Int, _ evidence: TestEvidence?, diff: Int) -> TallyCandidate {
        TallyCandidate(
            anonymousID: "agent\(index + 1)", configIndex: index, votes: votes, evidence: evidence,
            diffLines: diff)
    }

    @Test func mostVotesWins() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 1, evidence(passed: true), diff: 2),
            candidate(1, votes: 2, evidence(passed: false), diff: 50),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent2", "agent1"])
        #expect(ranking.first?.decidedBy == "votes")
    }

    @Test func tiesGoToPassingTestsThenMorePassingTests() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 1, evidence(passed: false, count: 9), diff: 2),
            candidate(1, votes: 1, evidence(passed: true, count: 3), diff: 9),
            candidate(2, votes: 1, evidence(passed: true, count: 5), diff: 9),
            candidate(3, votes: 1, nil, diff: 1),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent3", "agent2", "agent1", "agent4"])
        #expect(ranking.map(\.decidedBy) == ["tests", "tests", "tests", nil])
    }

    @Test func thenSmallerDiffThenConfigurationOrder() {
        let ranking = BallotTally.rank([
            candidate(0, votes: 0, evidence(passed: true), diff: 10),
            candidate(1, votes: 0, evidence(passed: true), diff: 4),
            candidate(2, votes: 0, evidence(passed: true), diff: 4),
        ])
        #expect(ranking.map(\.anonymousID) == ["agent2", "agent3", "agent1"])
        #expect(ranking.map(\.decidedBy) == ["config_order", "diff_size", nil])
    }

    @Test func withoutVotesTheBestTestedAnswerWins() {
        let winner = BallotTally.winner([
            candidate(0, votes: 0, evidence(passed: false), diff: 1),
            candidate(1, votes: 0, evidence(passed: true), diff: 30),
        ])
        #expect(winner?.anonymousID == "agent2")
        #expect(BallotTally.winner([]) == nil)
        #expect(BallotTally.rank([]).isEmpty)
    }
}
