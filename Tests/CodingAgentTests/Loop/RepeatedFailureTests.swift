import Foundation
import Testing
@testable import CodingAgent

/// A model repeating one failing call (as the small local model does with `edit_file`) is told
/// once, then dropped; one that changes course carries on; a different error is a new attempt.
@Suite struct RepeatedFailureTests {
    static let stuckEdit = turn(calls: [("edit_file", ["path": "calc.py", "old_string": "0", "new_string": "0"])])

    @Test func theSameFailingCallIsCorrectedOnceThenEndsTheLoop() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let (loop, backend) = makeLoop(Array(repeating: Self.stuckEdit, count: 10), in: ws)
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])

        guard case .repeatedFailure(let tool, let error, let times) = result.outcome else {
            Issue.record("unexpected outcome \(result.outcome)")
            return
        }
        #expect(tool == "edit_file")
        #expect(error.contains("identical"))
        #expect(times == 3)
        #expect(result.steps == 3, "dropped at the first repeat after the correction, not at the step limit")
        #expect(result.outcome.summary.hasPrefix("gave up: the same edit_file call failed 3 times"))
        // One corrective message, sent after the second failure (so the third request carries it).
        let corrections = result.messages.filter { $0.role == .user && $0.text.contains("Repeating it will not work") }
        #expect(corrections.count == 1)
        #expect(corrections.first?.text.contains("the same edit_file call 2 times") == true)
        #expect(corrections.first?.text.contains("if you repeat it again your turn ends") == true)
        #expect(backend.receivedRequests[2].messages.last?.text.contains("Repeating it will not work") == true)
        #expect(!(backend.receivedRequests[1].messages.last?.text.contains("Repeating") ?? false))
    }

    @Test func changingCourseAfterTheWarningCarriesOn() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let fix = turn(calls: [("edit_file", ["path": "calc.py", "old_string": "a - b", "new_string": "a + b"])])
        let (loop, _) = makeLoop(
            [Self.stuckEdit, Self.stuckEdit, fix, turn(calls: [("new_answer", ["content": "fixed"])])],
            in: ws)
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "fixed"))
        #expect(try ws.read("calc.py") == "return a + b\n")
    }

    @Test func differentErrorsOrArgumentsAreNotARepeat() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        // Failing calls that differ each time (other arguments) never trip the guard; the step limit ends it.
        let turns = (0..<8).map { turn(calls: [("read_file", ["path": .string("missing\($0).py")])]) }
        let (loop, _) = makeLoop(turns, in: ws, limits: AgentLimits(maxSteps: 8))
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .stepLimitReached(steps: 8))
        #expect(!result.messages.contains { $0.text.contains("Repeating it will not work") })
        // Whitespace or key order in the arguments does not make a call different.
        var repetition = RepeatedTurnGuard(warnAfter: 2)
        let failure = ToolOutcome.failure("old_string was not found")
        let first = ToolCallExecutor.Executed(
            call: ToolCall(id: "1", name: "edit_file", arguments: #"{"path":"a","old_string":"x"}"#), outcome: failure)
        let second = ToolCallExecutor.Executed(
            call: ToolCall(id: "2", name: "edit_file", arguments: #"{ "old_string": "x", "path": "a" }"#), outcome: failure)
        #expect(repetition.observe([first]) == .proceed)
        if case .correct = repetition.observe([second]) {} else { Issue.record("reordered arguments must count as a repeat") }
    }
}

extension RepeatedFailureTests {
    /// Identical successful turns (re-reading the same unchanged file, as the 1.5B model does)
    /// count too: corrected once, then the agent leaves instead of running to its time limit.
    @Test func identicalSuccessfulTurnsAreCorrectedOnceThenEndTheLoop() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let read = turn(calls: [("read_file", ["path": "calc.py"])])
        let (loop, backend) = makeLoop(
            Array(repeating: read, count: 8) + [turn(calls: [("new_answer", ["content": "looked"])])], in: ws)
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .repeatedCall(toolName: "read_file", times: 3))
        #expect(result.steps == 3)
        let nudges = result.messages.filter { $0.role == .user && $0.text.contains("will not tell you anything new") }
        #expect(nudges.count == 1)
        #expect(backend.receivedRequests[2].messages.last?.text.contains("the same read_file call 2 times") == true)
    }

    /// A cycle (read, edit that fails, read, …) is not a run of identical turns, but the same
    /// call with the same result a third time in one run is corrected, a fourth ends it.
    @Test func repeatsOutOfOrderAreCountedAcrossTheRun() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let read = turn(calls: [("read_file", ["path": "calc.py"])])
        let turns = (0..<10).map { $0.isMultiple(of: 2) ? read : Self.stuckEdit }
        let (loop, _) = makeLoop(turns, in: ws, limits: AgentLimits(maxSteps: 10))
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .repeatedCall(toolName: "read_file", times: 4))
        #expect(result.steps == 7)
        #expect(result.messages.filter { $0.text.contains("the same read_file call 3 times") }.count == 1)
    }

    /// An agent that stops (here: repeating itself) after a successful edit it never submitted
    /// leaves the edit as its answer through the configured submission tool.
    @Test func unsubmittedEditsAreSubmittedWhenTheAgentGivesUp() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let fix = turn(calls: [("edit_file", ["path": "calc.py", "old_string": "a - b", "new_string": "a + b"])])
        let read = turn(calls: [("read_file", ["path": "calc.py"])])
        let recorder = InMemoryRecorder()
        var (loop, _) = makeLoop([fix, read, read, read, read], in: ws, recorder: recorder)
        loop.configuration.answerSubmission = AnswerSubmission(toolName: "new_answer", argument: "content")
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .repeatedCall(toolName: "read_file", times: 3))
        let submitted = result.messages.flatMap(\.toolCalls).last
        #expect(submitted?.name == "new_answer")
        #expect(submitted?.arguments.contains("its unsubmitted changes to calc.py") == true)
        let results = await recorder.entries.compactMap { entry -> ToolResult? in
            if case .toolResult(let result, _) = entry.event { return result } else { return nil }
        }
        #expect(results.last?.name == "new_answer" && results.last?.isError == false)
        // The edit tool now says when the change it is asked for is already made.
        let again = await EditFileTool().run(
            arguments: ["path": "calc.py", "old_string": "a - b", "new_string": "a + b"], context: ws.context)
        #expect(again.isError && again.text.contains("new_string is already there"))
        // Also when old_string is part of new_string, where applying it again would double it.
        try ws.write("mean.py", "    return total / count\n")
        let widen: JSONValue = ["path": "mean.py", "old_string": "return total / count", "new_string": "return total / count if count else 0.0"]
        #expect(await EditFileTool().run(arguments: widen, context: ws.context).isError == false)
        let twice = await EditFileTool().run(arguments: widen, context: ws.context)
        #expect(twice.isError && twice.text.contains("new_string is already there"))
        #expect(try ws.read("mean.py") == "    return total / count if count else 0.0\n")
    }
}
