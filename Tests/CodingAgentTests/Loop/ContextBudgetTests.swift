import Foundation
import Testing

@testable import CodingAgent

/// Requests are kept inside the model's context window before they are sent.
@Suite struct ContextBudgetTests {
    @Test func theOldestToolOutputIsLeftOutFirstAndTheRequestFits() async throws {
        let ws = try TemporaryWorkspace()
        // Three reads of a ~6,000-character file: the conversation outgrows a 4,096-token window.
        let big = (1...200).map { "line \($0) of a long file" }.joined(separator: "\n") + "\n"
        try ws.write("big.txt", big)
        let read = { (offset: Int) in turn(calls: [("read_file", ["path": "big.txt", "offset": .number(Double(offset))])]) }
        let recorder = InMemoryRecorder()
        var (loop, backend) = makeLoop(
            [read(1), read(2), read(3), read(4), turn(calls: [("new_answer", ["content": "read"])])], in: ws, recorder: recorder)
        loop.configuration.contextWindow = 4_096
        let result = await loop.run(messages: [.text(.user, "read big.txt")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "read"))
        let budget = ContextBudget(window: 4_096)
        #expect(budget.reserve == 1_024)
        for request in backend.receivedRequests {
            #expect(ContextBudget.estimate(request) <= budget.promptLimit)
        }
        // The last request still has the newest read whole and the first one as a stub.
        let last = try #require(backend.receivedRequests.last)
        let results = last.messages.flatMap(\.parts).compactMap { part -> String? in
            if case .toolResult(let result) = part { result.content } else { nil }
        }
        #expect(results.first?.hasPrefix("[output of read_file left out to fit the model's context window") == true)
        #expect(results.last?.contains("line 200 of a long file") == true)
        #expect(last.messages.first?.text == "You are a coding agent.", "the system prompt is never cut")
        #expect(last.messages[1].text == "read big.txt", "the task is never cut")
        let notes = await recorder.entries.compactMap { entry -> String? in
            if case .correction(let text) = entry.event { text } else { nil }
        }
        #expect(notes.contains { $0.hasPrefix("The conversation would not fit the model's context window of 4096 tokens") })
        // Without a window nothing is budgeted and no max_tokens is invented for hosted models.
        #expect(backend.receivedRequests.allSatisfy { $0.settings.maxTokens == nil })
    }

    @Test func theEstimateCountsTextCallsResultsToolsAndMedia() {
        let media = MediaReference(path: "/tmp/x.png", mimeType: "image/png", byteCount: 10, sha256: "")
        let request = ModelRequest(
            model: "m",
            messages: [
                Message(role: .user, parts: [.text(String(repeating: "a", count: 300)), .image(media)]),
                Message(role: .assistant, parts: [.toolCall(ToolCall(id: "1", name: "read_file", arguments: "{}"))]),
            ],
            tools: [ToolDefinition(name: "read_file", description: "Read.", parameters: .objectSchema([:]))])
        let estimate = ContextBudget.estimate(request)
        #expect(estimate > 1_100 && estimate < 1_300, "\(estimate)")
    }
}
