import CodingAgent
import Foundation
import Testing

@testable import Voting
@testable import mg

/// Where tokens and the prompt cache's share show: `mg sessions` and the end-of-run summary.
@Suite struct TokenDisplayTests {
    @Test func sessionsShowPromptCompletionAndTheCachedShare() {
        var summary = SessionSummary(
            id: "s", startedAt: Date(), turns: 1, status: .finished, winner: nil, costUSD: 0, task: "t")
        #expect(SessionsCommand.tokens(summary) == "-")
        summary.promptTokens = 41_230
        summary.cachedTokens = 34_000
        summary.completionTokens = 2_310
        #expect(SessionsCommand.tokens(summary) == "41k+2.3k (82% cached)")
        summary.cachedTokens = 0
        summary.promptTokens = 950
        #expect(SessionsCommand.tokens(summary) == "950+2.3k")
        let table = SessionsCommand.table([summary])
        #expect(table.hasPrefix("SESSION") && table.contains("TOKENS") && table.contains("950+2.3k"))
    }

    @Test func theEndSummarySaysHowMuchCameFromTheCache() {
        let usage = TokenUsage(inputTokens: 45_210, outputTokens: 2_310, cachedInputTokens: 38_400)
        #expect(SessionReport.tokens(usage) == "Tokens: 45,210 prompt (38,400 from cache), 2,310 completion")
        #expect(SessionReport.tokens(TokenUsage(inputTokens: 10, outputTokens: 2)) == "Tokens: 10 prompt, 2 completion")
        let shared = CostMeter()
        shared.record(model: "m", usage: TokenUsage(inputTokens: 100, outputTokens: 10, cachedInputTokens: 60))
        let backend = ScriptedBackend(script: ScriptedScript(turns: []))
        let agents = [
            AgentSpec(id: "a", backend: backend, model: "m", costMeter: shared),
            AgentSpec(id: "b", backend: backend, model: "m", costMeter: shared),
        ]
        #expect(SessionReport.usage(of: agents) == TokenUsage(inputTokens: 100, outputTokens: 10, cachedInputTokens: 60))
    }
}
