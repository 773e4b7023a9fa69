import Foundation
import Testing

@testable import CodingAgent

/// Tool calls written as text: the request a text-mode agent sends, how `auto` falls back, and
/// invented tool names.
@Suite struct ToolModeTests {
    static let peg = "The model produced output that does not match the expected peg-native format"

    func loop(_ turns: [ScriptedTurn], in ws: TemporaryWorkspace, mode: ToolMode, recorder: any TranscriptRecorder = DiscardingRecorder())
        -> (AgentLoop, ScriptedBackend)
    {
        var (loop, backend) = makeLoop(turns, in: ws, recorder: recorder)
        loop.configuration.toolMode = mode
        return (loop, backend)
    }

    @Test func textModeDescribesTheToolsInThePromptAndSendsThePlainConversation() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "def add(a, b):\n    return a - b\n")
        let (loop, backend) = loop(
            [
                turn("I will read it.\n```json\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"calc.py\"}}\n```"),
                turn("<tool_call>\n{\"name\": \"new_answer\", \"arguments\": {\"content\": \"read\"}}\n</tool_call>"),
            ], in: ws, mode: .text)
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "read"))
        #expect(result.toolMode == .text)
        let requests = backend.receivedRequests
        #expect(requests.allSatisfy { $0.tools.isEmpty }, "no provider tool channel in text mode")
        let system = try #require(requests[0].messages.first?.text)
        #expect(system.hasPrefix("You are a coding agent.\n\n# Tools"))
        #expect(system.contains("- read_file(path, limit?, offset?): Read a text file of the workspace with line numbers."))
        #expect(system.contains("- new_answer(content): Submit your answer."))
        // The second request carries the first call written back in the call format and its
        // result as a user message; no message has a tool-call part or the tool role.
        let second = requests[1].messages
        #expect(second.allSatisfy { $0.role != .tool && $0.toolCalls.isEmpty })
        #expect(second[2].role == .assistant)
        #expect(second[2].text == "I will read it.\n\n```json\n{\"name\": \"read_file\", \"arguments\": {\"path\":\"calc.py\"}}\n```")
        #expect(second[3].role == .user && second[3].text.hasPrefix("Result of read_file:\n     1\tdef add(a, b):"))
    }

    @Test func autoFallsBackToTextWhenTheServerRejectsTheModelsOutput() async throws {
        let ws = try TemporaryWorkspace()
        let recorder = InMemoryRecorder()
        let (loop, backend) = loop(
            [
                ScriptedTurn(fail: ScriptedFailure(kind: "model_error", message: Self.peg)),
                turn("```json\n{\"name\": \"new_answer\", \"arguments\": {\"content\": \"done\"}}\n```"),
            ], in: ws, mode: .auto, recorder: recorder)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "done"))
        #expect(result.toolMode == .text, "the next run of this agent starts in text mode")
        let requests = backend.receivedRequests
        #expect(!requests[0].tools.isEmpty && requests[1].tools.isEmpty)
        #expect(requests[1].messages.first?.text.contains("# Tools") == true)
        #expect(requests[1].messages.last?.text.contains(Self.peg) == true, "the model is told why its reply failed")
        let notes = await recorder.entries.compactMap { entry -> String? in
            if case .correction(let text) = entry.event { text } else { nil }
        }
        #expect(notes.contains("Switched to tool calls written as text: the server rejected the model's tool call."))
    }

    @Test func autoFallsBackAfterRepliesWithoutAReadableCall() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, backend) = loop(
            [
                turn("I think the bug is in add."), turn("Let me call read_file on calc.py."),
                turn("```json\n{\"name\": \"new_answer\", \"arguments\": {\"content\": \"x\"}}\n```"),
            ], in: ws, mode: .auto)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "x"))
        let requests = backend.receivedRequests
        #expect(!requests[1].tools.isEmpty, "one unparsed reply is not enough")
        #expect(requests[2].tools.isEmpty)
        #expect(requests[2].messages.last?.text.hasPrefix("Your reply did not contain a tool call. Reply with one JSON object") == true)
    }

    @Test func nativeModeNeverFallsBack() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, backend) = loop(
            [ScriptedTurn(fail: ScriptedFailure(kind: "model_error", message: Self.peg)), turn(calls: [("new_answer", ["content": "ok"])])],
            in: ws, mode: .native)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.toolMode == .native)
        #expect(backend.receivedRequests.allSatisfy { !$0.tools.isEmpty })
    }

    @Test func anInventedToolWrittenAsTextGetsTheListOfRealTools() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, backend) = loop(
            [
                turn("```json\n{\"name\": \"view_file\", \"arguments\": {\"path\": \"calc.py\"}}\n```"),
                turn("```json\n{\"name\": \"new_answer\", \"arguments\": {\"content\": \"ok\"}}\n```"),
            ], in: ws, mode: .text)
        _ = await loop.run(messages: [.text(.user, "go")])
        let feedback = try #require(backend.receivedRequests[1].messages.last?.text)
        #expect(feedback.hasPrefix("Error from view_file:\nThere is no tool named \"view_file\". The tools you can call are: read_file"))
    }
}
