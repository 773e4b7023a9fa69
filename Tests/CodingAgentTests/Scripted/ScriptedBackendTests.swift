import Foundation
import Testing
@testable import CodingAgent

@Suite struct ScriptedBackendTests {
    static let scriptText = """
        {
          "chunk_size": 4,
          "turns": [
            {"reasoning": "plan", "text": "Reading the file now.",
             "tool_calls": [{"name": "read_file", "arguments": {"path": "src/main.swift"}},
                            {"id": "fixed", "name": "list_files"}],
             "usage": {"input": 120, "output": 30, "cached": 100}},
            {"text": "partial", "fail": {"kind": "server_error", "status": 500, "message": "boom"}},
            {"text": "done", "finish": "stop", "delay_ms": 1}
          ]
        }
        """

    private func collect(_ backend: ScriptedBackend) async throws -> [StreamChunk] {
        var chunks: [StreamChunk] = []
        for try await chunk in backend.stream(ModelRequest(model: "m", messages: [.text(.user, "hi")])) { chunks.append(chunk) }
        return chunks
    }

    @Test func streamsTurnsInSmallDeltasWithUsageAndFinish() async throws {
        let ws = try TemporaryWorkspace()
        let file = try ws.write("script.json", Self.scriptText)
        let backend = try ScriptedBackend(contentsOf: file.path)
        let chunks = try await collect(backend)
        let textDeltas = chunks.compactMap { if case .textDelta(let t) = $0 { t } else { nil } }
        #expect(textDeltas.count == 6 && textDeltas.joined() == "Reading the file now.")
        let argumentDeltas = chunks.compactMap { if case .toolCallArgumentsDelta(0, let f) = $0 { f } else { nil } }
        #expect(argumentDeltas.count > 3 && argumentDeltas.joined() == #"{"path":"src/main.swift"}"#)
        #expect(chunks.contains(.toolCallStart(index: 0, id: "call_1_0", name: "read_file")))
        #expect(chunks.contains(.toolCallStart(index: 1, id: "fixed", name: "list_files")))
        #expect(chunks.first == .reasoningDelta("plan"))
        #expect(chunks.suffix(2) == [.usage(TokenUsage(inputTokens: 120, outputTokens: 30, cachedInputTokens: 100)), .finish(.toolCalls)])
        await #expect(throws: BackendError.serverError(provider: "scripted(script.json)", status: 500, message: "boom")) {
            _ = try await collect(backend)
        }
        #expect(try await collect(backend) == [.textDelta("done"), .finish(.stop)])
        let exhausted = try await collect(backend)
        #expect(exhausted.last == .finish(.stop))
        let exhaustedText = exhausted.compactMap { if case .textDelta(let t) = $0 { t } else { nil } }.joined()
        #expect(exhaustedText.contains("no more turns"))
        #expect(backend.receivedRequests.count == 4)
    }

    @Test func eachInstanceHasItsOwnCursorOverASharedFile() async throws {
        let ws = try TemporaryWorkspace()
        let file = try ws.write("script.json", Self.scriptText)
        let first = try ScriptedBackend(contentsOf: file.path)
        let second = try ScriptedBackend(contentsOf: file.path)
        _ = try await collect(first)
        _ = try? await collect(first)
        let fromSecond = try await collect(second)
        #expect(fromSecond.first == .reasoningDelta("plan"))
        #expect(first.turnsPlayed == 2 && second.turnsPlayed == 1)
    }

    @Test func invalidScriptsSayWhatIsWrong() throws {
        let ws = try TemporaryWorkspace()
        let missingName = try ws.write("bad.json", #"{"turns": [{"tool_calls": [{"arguments": {}}]}]}"#)
        let error = try #require(throws: ScriptedBackendError.self) { try ScriptedBackend(contentsOf: missingName.path) }
        #expect(error.description.contains(#"lacks the key "name""#))
        #expect(error.description.contains(".turns[0].tool_calls[0]"))
        let notJSON = try ws.write("worse.json", "turns: []")
        #expect(throws: ScriptedBackendError.self) { try ScriptedBackend(contentsOf: notJSON.path) }
        #expect(throws: ScriptedBackendError.self) { try ScriptedBackend(contentsOf: ws.root.path + "/missing.json") }
    }

    @Test func documentedExampleRunsThroughTheAgentLoop() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "def add(a, b):\n    return a - b\n")
        let script = try ws.write("agent.json", """
            {"turns": [
              {"text": "Let me look.", "tool_calls": [{"name": "read_file", "arguments": {"path": "calc.py"}}]},
              {"tool_calls": [{"name": "edit_file", "arguments": {"path": "calc.py", "old_string": "a - b", "new_string": "a + b"}}]},
              {"tool_calls": [{"name": "new_answer", "arguments": {"content": "Fixed add()"}}], "usage": {"input": 900, "output": 40}}
            ]}
            """)
        let loop = AgentLoop(
            backend: try ScriptedBackend(contentsOf: script.path),
            tools: ToolRegistry(CodingTools.standard(runner: CommandRunner()) + [FinishTool()]),
            configuration: AgentLoopConfiguration(model: "scripted"), context: ws.context)
        let result = await loop.run(messages: [.text(.user, "Fix add()")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "Fixed add()"))
        #expect(try ws.read("calc.py") == "def add(a, b):\n    return a + b\n")
        #expect(result.usage.inputTokens == 900)
    }
}
