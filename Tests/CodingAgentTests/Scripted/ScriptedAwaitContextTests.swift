import Foundation
import Testing
@testable import CodingAgent

/// `await_context`: a turn is held back until the request shows the awaited texts.
@Suite struct ScriptedAwaitContextTests {
    static let scriptText = """
        {"turns": [
          {"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent2", "reason": "tests pass"}}],
           "await_context": ["## agent1 (answer", "## agent2 (answer"], "await_poll_ms": 1},
          {"text": "after", "await_context": "ready"}
        ]}
        """

    private func play(_ backend: ScriptedBackend, _ context: String) async throws -> [StreamChunk] {
        var chunks: [StreamChunk] = []
        let request = ModelRequest(model: "m", messages: [.text(.user, context)])
        for try await chunk in backend.stream(request) { chunks.append(chunk) }
        return chunks
    }

    private func toolNames(_ chunks: [StreamChunk]) -> [String] {
        chunks.compactMap { if case .toolCallStart(_, _, let name) = $0 { name } else { nil } }
    }

    @Test func holdsTheTurnWithReadOnlyCallsUntilEveryTextAppears() async throws {
        let data = Data(Self.scriptText.utf8)
        let script = try JSONDecoder().decode(ScriptedScript.self, from: data)
        #expect(script.turns[0].awaitContext?.texts == ["## agent1 (answer", "## agent2 (answer"])
        #expect(script.turns[1].awaitContext?.texts == ["ready"])
        let backend = ScriptedBackend(script: script)

        // Neither, then only one of the two answers visible: the backend waits, cursor unmoved.
        #expect(toolNames(try await play(backend, "task only")) == ["list_files"])
        #expect(toolNames(try await play(backend, "## agent1 (answer 1)\nfix")) == ["list_files"])
        #expect(backend.turnsPlayed == 0)
        #expect(backend.waitingTurns == 2)

        // Both visible: the vote plays and the cursor moves to the next turn.
        let vote = try await play(backend, "## agent1 (answer 1)\n…\n## agent2 (answer 1)\n…")
        #expect(toolNames(vote) == ["vote"])
        #expect(backend.turnsPlayed == 1)

        // A single-string condition works the same way.
        #expect(toolNames(try await play(backend, "not yet")) == ["list_files"])
        let after = try await play(backend, "now ready")
        #expect(after.contains(.textDelta("after")))
        #expect(backend.turnsPlayed == 2)
        #expect(backend.receivedRequests.count == 5)
    }

    @Test func waitingCallsHaveDistinctIDs() async throws {
        let script = ScriptedScript(turns: [ScriptedTurn(text: "x", awaitContext: ScriptedContextCondition(["never"]), awaitPollMilliseconds: 0)])
        let backend = ScriptedBackend(script: script)
        var ids: [String] = []
        for _ in 0..<3 {
            for chunk in try await play(backend, "no") {
                if case .toolCallStart(_, let id, _) = chunk { ids.append(id) }
            }
        }
        #expect(Set(ids).count == 3)
    }
}
