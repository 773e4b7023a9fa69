import Foundation
import Testing

@testable import CodingAgent

/// Replies Qwen2.5-Coder-1.5B (Q4_K_M, llama.cpp) gave to mg's text-mode prompt, recorded with
/// scripts/record-model-replies during `mg-bench fixrate` sessions: each one is read as the
/// calls the model meant.
@Suite struct RecordedRepliesTests {
    struct Recorded: Decodable {
        var reply: String
        var calls: [String]
        var note: String
    }

    static let replies: [Recorded] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let url = folder.appendingPathComponent("Fixtures/LocalModels/qwen2.5-coder-1.5b-text-replies.json")
        return (try? JSONDecoder().decode([Recorded].self, from: Data(contentsOf: url))) ?? []
    }()

    /// mg's tools as an agent sees them.
    static let offered: Set<String> = [
        "read_file", "write_file", "edit_file", "list_files", "search", "run_command", "view_media", "new_answer", "vote",
        "view_answer", "adopt_answer",
    ]

    @Test func everyRecordedReplyIsReadAsTheCallsItMeant() throws {
        #expect(Self.replies.count == 14)
        for recorded in Self.replies {
            let parsed = BareToolCallParser.parse(recorded.reply, offered: Self.offered, allowingInvented: true)
            #expect(parsed?.calls.map(\.name) == recorded.calls, "\(recorded.note)")
            for call in parsed?.calls ?? [] {
                #expect(JSONValue.parseArguments(call.arguments) != nil, "\(recorded.note): arguments are JSON")
            }
        }
    }

    @Test func theBrokenWriteFileKeepsTheFileContent() throws {
        let recorded = try #require(Self.replies.first { $0.calls == ["write_file"] })
        let call = try #require(BareToolCallParser.parse(recorded.reply, offered: Self.offered)?.calls.first)
        let arguments = try #require(JSONValue.parseArguments(call.arguments))
        #expect(arguments["path"] == "stats.py")
        let content = try #require(arguments["content"]?.stringValue)
        #expect(content.hasPrefix("def average(numbers):\n    \"\"\"Return the arithmetic mean"))
        #expect(content.contains("return max(numbers) - min(numbers)\n"))
    }

    /// The model put the whole fixed file into new_answer's summary, leaving its worktree as it
    /// was; with an edit format that code is applied, then the answer submitted.
    @Test func aFixedFileInsideTheAnswerSummaryIsAppliedThenSubmitted() async throws {
        let recorded = try #require(Self.replies.first { $0.note.hasPrefix("the fixed file put into new_answer") })
        let ws = try TemporaryWorkspace()
        try ws.write(
            "stats.py",
            "def average(numbers):\n    \"\"\"Return the arithmetic mean of numbers (0.0 for an empty list).\"\"\"\n"
                + "    return sum(numbers) / len(numbers)\n\n\ndef spread(numbers):\n    \"\"\"Return max - min of numbers.\"\"\"\n"
                + "    return max(numbers) - min(numbers)\n")
        var (loop, _) = makeLoop([turn(recorded.reply)], in: ws)
        loop.configuration.toolMode = .text
        loop.configuration.editFormat = .whole
        loop.configuration.answerSubmission = AnswerSubmission(toolName: "new_answer", argument: "content")
        let result = await loop.run(messages: [.text(.user, "average([]) crashes")])
        guard case .terminal("new_answer", .string(let summary)) = result.outcome else {
            Issue.record("expected a submitted answer, got \(result.outcome)")
            return
        }
        #expect(summary == "Changed stats.py.")
        let fixed = try ws.read("stats.py")
        #expect(fixed.contains("    if not numbers:\n        return 0.0\n    return sum(numbers) / len(numbers)"))
    }
}
