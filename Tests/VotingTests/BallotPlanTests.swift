import Testing
import Voting

@Suite struct BallotPlanTests {
    @Test func theTestSeedKeepsConfigurationOrderForUpToFiveAgents() {
        // CalculatorFixture.positionalBallotSeed and FixFixture's rely on this.
        for count in 1...5 {
            #expect(BallotPlan(agentCount: count, seed: 10760).anonymousIDs == (1...count).map { "agent\($0)" })
        }
    }

    @Test func otherSeedsHideTheConfigurationOrder() {
        let plans = (0..<50).map { BallotPlan(agentCount: 3, seed: UInt64($0)).anonymousIDs }
        #expect(plans.allSatisfy { Set($0) == ["agent1", "agent2", "agent3"] })
        #expect(Set(plans.map { $0.joined(separator: ",") }).count == 6, "every permutation of 3 ids occurs")
    }

    @Test func eachAgentAndRoundGetsItsOwnReplayableOrder() {
        let plan = BallotPlan(agentCount: 4, seed: 42)
        let ids = ["agent1", "agent2", "agent3", "agent4"]
        #expect(plan.order(ids, viewer: 0, serial: 3) == BallotPlan(agentCount: 4, seed: 42).order(ids, viewer: 0, serial: 3))
        #expect(Set(plan.order(ids, viewer: 0, serial: 3)) == Set(ids))
        let orders = Set((0..<4).flatMap { viewer in (1...6).map { plan.order(ids, viewer: viewer, serial: $0) } })
        #expect(orders.count > 8, "orders vary by viewer and round")
        // The input order does not matter, only the seed, viewer and round.
        #expect(plan.order(ids.reversed(), viewer: 1, serial: 2) == plan.order(ids, viewer: 1, serial: 2))
    }
}
