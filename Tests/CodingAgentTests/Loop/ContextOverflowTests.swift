import Foundation
import Testing
@testable import CodingAgent

/// A conversation longer than the model's context window is shrunk (older tool output first)
/// and the turn retried, instead of the agent failing.
@Suite struct ContextOverflowTests {
    static let overflow = ScriptedTurn(
        fail: ScriptedFailure(
            kind: "bad_request", status: 400,
            message: "request (4097 tokens) exceeds the available context size (4096 tokens), try increasing it"))

    @Test func theLoopShrinksTheConversationAndCarriesOn() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("big.txt", String(repeating: "a line of a large file\n", count: 400))
        try ws.write("small.txt", "tiny\n")
        let (loop, backend) = makeLoop(
            [
                turn(calls: [("read_file", ["path": "big.txt"])]),
                turn(calls: [("read_file", ["path": "small.txt"])]),
                turn(calls: [("list_files", [:])]),
                turn(calls: [("read_file", ["path": "small.txt"])]),
                Self.overflow,
                turn(calls: [("new_answer", ["content": "done"])]),
            ], in: ws)
        let result = await loop.run(messages: [.text(.user, "read the files")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "done"))

        let retried = try #require(backend.receivedRequests.last)
        let results = retried.messages.flatMap(\.parts).compactMap { part -> ToolResult? in
            if case .toolResult(let result) = part { return result }
            return nil
        }
        // The big read became a stub; the small, recent results are whole; every call kept its result.
        #expect(results.first?.content.hasPrefix("[output of read_file left out to fit the model's context window") == true)
        #expect(results.last?.content.contains("tiny") == true)
        #expect(Set(retried.messages.flatMap(\.toolCalls).map(\.id)) == Set(results.map(\.callID)))
        #expect(retried.messages[1] == .text(.user, "read the files"), "the task itself is never shrunk")
    }

    @Test func nothingLeftToShrinkFailsWithTheProvidersError() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, _) = makeLoop([Self.overflow, Self.overflow], in: ws)
        let result = await loop.run(messages: [.text(.user, "hello")])
        guard case .backendFailed(let error) = result.outcome else {
            Issue.record("unexpected outcome \(result.outcome)")
            return
        }
        #expect(error.isContextOverflow)
    }

    @Test func repeatedPassesShrinkFurtherThenStop() {
        var messages: [Message] = [.text(.user, "task")]
        for index in 0..<10 {
            let call = ToolCall(id: "c\(index)", name: "read_file", arguments: "{}")
            messages.append(Message(role: .assistant, parts: [.text(String(repeating: "thinking ", count: 80)), .toolCall(call)]))
            messages.append(
                Message(role: .tool, parts: [.toolResult(ToolResult(callID: call.id, name: "read_file", content: String(repeating: "x", count: 5000)))]))
        }
        var passes = 0
        var current = messages
        while let next = ConversationCompactor.compact(current) {
            #expect(next.count == messages.count)
            #expect(next[0] == messages[0])
            current = next
            passes += 1
            #expect(passes < 30)
            if passes >= 30 { break }
        }
        #expect(passes > 1, "each pass works on part of the conversation")
        let remaining = current.flatMap(\.parts).compactMap { part -> Int? in
            if case .toolResult(let result) = part { return result.content.count }
            return nil
        }
        #expect(remaining.allSatisfy { $0 < 200 })
    }
}
