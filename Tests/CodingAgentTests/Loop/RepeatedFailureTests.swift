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
        #expect(times == 6)
        #expect(result.steps == 6, "dropped after six identical failures, not at the step limit")
        #expect(result.outcome.summary.hasPrefix("gave up: the same edit_file call failed 6 times in a row"))
        // One corrective message, sent after the third failure (so the fourth request carries it).
        let corrections = result.messages.filter { $0.role == .user && $0.text.contains("Repeating it will not work") }
        #expect(corrections.count == 1)
        #expect(corrections.first?.text.contains("the same edit_file call 3 times") == true)
        #expect(backend.receivedRequests[3].messages.last?.text.contains("Repeating it will not work") == true)
        #expect(!(backend.receivedRequests[2].messages.last?.text.contains("Repeating") ?? false))
    }

    @Test func changingCourseAfterTheWarningCarriesOn() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let fix = turn(calls: [("edit_file", ["path": "calc.py", "old_string": "a - b", "new_string": "a + b"])])
        let (loop, _) = makeLoop(
            [Self.stuckEdit, Self.stuckEdit, Self.stuckEdit, fix, turn(calls: [("new_answer", ["content": "fixed"])])],
            in: ws)
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "fixed"))
        #expect(try ws.read("calc.py") == "return a + b\n")
    }

    @Test func differentErrorsOrArgumentsAreNotARepeat() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        // Alternating between two different failing calls never trips the guard; the step limit ends it.
        let other = turn(calls: [("read_file", ["path": "missing.py"])])
        let turns = (0..<8).map { $0.isMultiple(of: 2) ? Self.stuckEdit : other }
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
    @Test func identicalSuccessfulTurnsGetOneNudgeButNoGiveUp() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("calc.py", "return a - b\n")
        let read = turn(calls: [("read_file", ["path": "calc.py"])])
        let (loop, backend) = makeLoop(
            Array(repeating: read, count: 8) + [turn(calls: [("new_answer", ["content": "looked"])])], in: ws)
        let result = await loop.run(messages: [.text(.user, "fix calc.py")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "looked"))
        let nudges = result.messages.filter { $0.role == .user && $0.text.contains("will not tell you anything new") }
        #expect(nudges.count == 1)
        #expect(backend.receivedRequests[3].messages.last?.text.contains("the same read_file call 3 times") == true)
    }
}
