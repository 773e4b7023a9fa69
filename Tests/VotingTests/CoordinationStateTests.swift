import Testing
import Voting

@Suite struct CoordinationStateTests {
    @Test func anonymousIDsFollowConfigurationOrder() {
        let state = CoordinationState(agentIDs: ["claude", "gpt", "gemini"])
        #expect(state.agents.map(\.anonymousID) == ["agent1", "agent2", "agent3"])
        #expect(state.index(anonymous: "agent2") == 1)
        #expect(state.index(of: "gemini") == 2)
    }

    @Test func votesNeedAnExistingAnswer() {
        var state = CoordinationState(agentIDs: ["a", "b"])
        state.beginRun(0)
        guard case .invalid(let message) = state.castVote(0, target: "agent1", reason: "") else {
            Issue.record("a vote before any answer must be refused")
            return
        }
        #expect(message.contains("no answers"))
        state.acceptAnswer(1)
        state.beginRun(0)
        guard case .invalid(let unknown) = state.castVote(0, target: "agent1", reason: "") else {
            Issue.record("a vote for an agent without an answer must be refused")
            return
        }
        #expect(unknown.contains("agent2"))
        guard case .invalid = state.castVote(0, target: "agent9", reason: "") else {
            Issue.record("an unknown id must be refused")
            return
        }
        let r1 = state.castVote(0, target: "agent2", reason: "tests pass")
        #expect(r1 == .counted)
        #expect(state.voteCounts == ["agent2": 1])
    }

    @Test func acceptedAnswerResetsVotesAndMarksOthersToRestart() {
        var state = CoordinationState(agentIDs: ["a", "b", "c"])
        for agent in 0..<3 { state.beginRun(agent) }
        let r2 = state.acceptAnswer(0)
        #expect(r2 == 1)
        #expect(state.mustRestart(1) && state.mustRestart(2) && state.mustRestart(0))
        state.beginRun(1)
        let r3 = state.castVote(1, target: "agent1", reason: "")
        #expect(r3 == .counted)
        // A vote from an agent that has not seen the latest answer is ignored.
        let r4 = state.castVote(2, target: "agent1", reason: "")
        #expect(r4 == .ignoredMustRestart)
        state.acceptAnswer(2)
        #expect(state.voteCounts.isEmpty)
        #expect(state.mustRestart(1))
        #expect(state.endReason == nil)
    }

    @Test func roundEndsWhenEveryLiveAgentVotedAfterTheLastAnswer() {
        var state = CoordinationState(agentIDs: ["a", "b", "c"])
        state.acceptAnswer(0)
        for agent in 0..<3 { state.beginRun(agent) }
        let r5 = state.castVote(0, target: "agent1", reason: "")
        #expect(r5 == .counted)
        let r6 = state.castVote(1, target: "agent1", reason: "")
        #expect(r6 == .counted)
        #expect(state.endReason == nil)
        state.drop(2, .failed(reason: "timeout"))
        #expect(state.endReason == .allVoted)
        // Nothing changes once the round is over.
        #expect(state.answerRefusal(0) != nil)
        guard case .invalid = state.castVote(0, target: "agent1", reason: "") else {
            Issue.record("votes after the end must be refused")
            return
        }
    }

    @Test func roundEndsWithoutLiveAgents() {
        var state = CoordinationState(agentIDs: ["a", "b"])
        state.drop(0, .failed(reason: "backend"))
        #expect(state.endReason == nil)
        state.drop(1, .out(reason: "invalid"))
        #expect(state.endReason == .noLiveAgents)
    }

    @Test func answerLimitForcesVoting() {
        var state = CoordinationState(agentIDs: ["a", "b"], maxAnswersPerAgent: 1)
        #expect(state.answerRefusal(0) == nil)
        state.acceptAnswer(0)
        #expect(state.answerRefusal(0)?.contains("maximum of 1") == true)
        #expect(state.answerRefusal(1) == nil)
    }

    @Test func repeatedInvalidAttemptsTakeAnAgentOut() {
        var state = CoordinationState(agentIDs: ["a", "b"], maxInvalidAttempts: 3)
        state.beginRun(0)
        let r7 = state.registerInvalidAttempt(0)
        #expect(!r7)
        let r8 = state.registerInvalidAttempt(0)
        #expect(!r8)
        let r9 = state.registerInvalidAttempt(0)
        #expect(!r9)
        #expect(state.dropReason(0) == nil)
        let r10 = state.registerInvalidAttempt(0, problem: "agent7 is not an answer.")
        #expect(r10)
        #expect(!state.isLive(0))
        #expect(
            state.dropReason(0)
                == "out for the round: more than 3 invalid new_answer/vote attempts; the last: agent7 is not an answer.")
        // A restart gives fresh attempts to an agent that is still live.
        let r11 = state.registerInvalidAttempt(1)
        #expect(!r11)
        state.beginRun(1)
        #expect(state.agents[1].invalidAttempts == 0)
    }

    @Test func outsideReasonsEndTheRoundOnce() {
        var state = CoordinationState(agentIDs: ["a"])
        state.end(.timeout)
        state.end(.interrupted)
        #expect(state.endReason == .timeout)
    }
}
