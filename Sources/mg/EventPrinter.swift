import Foundation
import Voting

/// Shows session events: one JSON object per line on stdout with `--json`; otherwise plain
/// timestamped lines (the live terminal view builds on the same events).
struct EventPrinter: EventSink {
    let console: Console

    func emit(_ event: SessionEvent) async {
        if console.json {
            FileHandle.standardOutput.write(Data((event.jsonLine() + "\n").utf8))
        }
        guard !console.quiet, let text = Self.describe(event) else { return }
        let stamp = SessionEvent.timestamp(event.time).dropFirst(11).prefix(8)
        console.info("\(stamp) \(text)")
    }

    /// One human line per event (`nil`: not worth a line).
    static func describe(_ event: SessionEvent) -> String? {
        let who = event.agent ?? "mg"
        switch event.kind {
        case .sessionStarted:
            return "session \(event.session) started: \(event.detail ?? "")"
        case .agentState:
            guard let phase = event.phase else { return nil }
            return "\(who): \(phase.rawValue)\(event.tool.map { " \($0)" } ?? "")\(event.detail.map { " — \($0)" } ?? "")"
        case .toolCall:
            return nil
        case .answer:
            if event.accepted == false { return "\(who): answer rejected (\(event.reason ?? "no reason"))" }
            return "\(who): answer \(event.iteration ?? 0) \(event.commit.map { String($0.prefix(12)) } ?? "") — \(event.detail ?? "")"
        case .testResult:
            let verdict = event.passed == true ? "tests pass" : "tests fail"
            let failing = (event.failedTests ?? []).prefix(3).joined(separator: ", ")
            return "\(who): \(verdict)\(failing.isEmpty ? "" : " (\(failing))")"
        case .vote:
            return "\(who) votes for \(event.target ?? "?"): \(event.reason ?? "")"
        case .roundFinished:
            let tally = (event.votes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            return "round finished: winner \(event.winner ?? "none") (votes: \(tally.isEmpty ? "none" : tally))\(event.similarity.map { "; \($0)" } ?? "")"
        case .merged:
            return "merged \(event.winner ?? who): \(event.detail ?? "")"
        case .mergeRefused:
            return "merge refused: \(event.reason ?? "")"
        case .error:
            return "\(who): error: \(event.message ?? "")"
        case .sessionFinished:
            return "session finished: \(event.outcome ?? "")"
        }
    }
}
