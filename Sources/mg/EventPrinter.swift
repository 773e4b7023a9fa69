import Foundation
import Voting

/// Session events as plain text: one timestamped line per event worth a line. Used when output
/// is piped or in CI (no escape codes), and for the history lines above the live panel.
enum EventPrinter {
    /// `HH:MM:SS text` in UTC (the time of the event), or `nil` when the event is not worth a line.
    static func line(_ event: SessionEvent) -> String? {
        guard let text = describe(event) else { return nil }
        let stamp = SessionEvent.timestamp(event.time).dropFirst(11).prefix(8)
        return "\(stamp) \(text)"
    }

    /// Whether the live view keeps a history line for the event (phase changes only redraw the panel).
    static func isHistory(_ event: SessionEvent) -> Bool {
        switch event.kind {
        case .agentState: return event.phase == .failed
        case .toolCall: return false
        default: return true
        }
    }

    /// One human line per event (`nil`: not worth a line).
    static func describe(_ event: SessionEvent) -> String? {
        let who = event.agent ?? "mg"
        switch event.kind {
        case .sessionStarted:
            let branch = event.branch.map { $0 == "HEAD" ? "a detached HEAD (the result lands on no branch) " : "\($0) " }
            let base = event.commit.map { " on \(branch ?? "")\($0.prefix(12))" } ?? ""
            let tests =
                event.testCommand.map { "tests: `\($0)`" }
                ?? "no test command: the votes decide (set one with --test or orchestrator.test_command)"
            return "session \(event.session) started\(base): \(TaskInput.headline(event.detail ?? "")) — \(tests)"
        case .agentState:
            // Thinking and tool phases repeat every turn; the tool_call line says more.
            guard let phase = event.phase, phase != .thinking, phase != .tool else { return nil }
            let tool = event.tool.map { " \($0)" } ?? ""
            return "\(who): \(phase.rawValue)\(tool)\(event.reason.map { " — \($0)" } ?? "")"
        case .toolCall:
            return "\(who): \(event.tool ?? "tool") \(event.detail ?? "")"
        case .answer:
            if event.accepted == false { return "\(who): answer rejected (\(event.reason ?? "no reason"))" }
            let commit = event.commit.map { " \($0.prefix(12))" } ?? ""
            let lines = event.diffLines.map { " (\($0) line\($0 == 1 ? "" : "s"))" } ?? ""
            let summary = event.detail.map { $0.isEmpty ? "" : " — \($0)" } ?? ""
            return "\(who): answer \(event.iteration ?? 0) as \(event.anonymousID ?? "?")\(commit)\(lines)\(summary)"
        case .baseline:
            return "base (before any change): \(event.detail ?? (event.passed == true ? "tests pass" : "tests fail"))"
        case .testResult:
            if event.tool == "gate_command" { return "\(who): \(event.detail ?? "gate command")" }
            let verdict = event.passed == true ? "tests pass" : "tests fail"
            let counts = event.passedCount.map { " \($0) passed" } ?? ""
            let failing = (event.failedTests ?? []).prefix(3).joined(separator: ", ")
            return "\(who): \(verdict)\(counts)\(failing.isEmpty ? "" : "; failing: \(failing)")"
        case .vote:
            let target = event.target ?? "?"
            // A counted vote carries the voter's reason in `detail`; an ignored or refused one says why in `reason`.
            if event.accepted == true {
                return "\(who) votes for \(target): \(event.detail ?? "no reason given")"
            }
            return "\(who)'s vote for \(target) not counted: \(event.reason ?? "refused")"
        case .roundFinished:
            let tally = (event.votes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
            let why = event.reason.map { " (\($0.replacingOccurrences(of: "_", with: " ")))" } ?? ""
            let similarity = event.similarity.map { "; answers \($0)" } ?? ""
            let rule = event.rule.map { "; \($0)" } ?? ""
            let overruled = event.overruled.map { "; evidence overruled the vote: \($0)" } ?? ""
            return
                "round finished\(why): winner \(event.winner ?? "none"), votes \(tally.isEmpty ? "none" : tally)\(similarity)"
                + rule + overruled
        case .merged:
            return "merged \(who): \(event.detail ?? "")"
        case .mergeRefused:
            return "merge of \(who) refused: \(event.reason ?? "")"
        case .error:
            return "\(who): error: \(event.message ?? "")"
        case .sessionFinished:
            return "session finished: \(event.outcome ?? "") (exit \(event.exitCode ?? 0))"
        }
    }
}
