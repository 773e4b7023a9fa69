import Foundation
import Voting

/// Turns a `LiveViewState` into the lines of the live panel: a header, one line per agent, and a
/// round line. Pure (state, width, colour, clock → lines), so it is tested with snapshots; every
/// line fits in `width` columns, escape codes excluded.
struct LiveViewRenderer: Sendable {
    /// Terminal columns.
    var width: Int
    /// Whether to add ANSI colours.
    var color: Bool

    /// The panel for `state` at `now`.
    func frame(_ state: LiveViewState, now: Date) -> [String] {
        var lines: [String] = []
        let elapsed = state.startedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0
        lines.append(
            line([
                (Self.symbol(finished: state.finished), state.finished ? "32" : "36;1"),
                (" mg " + (state.session.isEmpty ? "starting" : state.session), "1"),
                (
                    "  \(Self.duration(elapsed))  \(Self.tokens(state.totalTokens)) tok  \(Self.cost(state.totalCostUSD))",
                    "2"
                ),
            ]))
        let idWidth = min(16, state.agents.map { DisplayWidth.columns($0.id) }.max() ?? 5)
        for agent in state.agents { lines.append(row(agent, idWidth: idWidth)) }
        lines.append(roundLine(state))
        return lines
    }

    /// One agent: symbol, id, activity, answer count, tests, usage, then the summary in what is left.
    func row(_ agent: LiveViewState.Agent, idWidth: Int) -> String {
        let activity = Self.activity(agent)
        let tests: (String, String) =
            switch agent.testsPassed {
            case true?: ("✓ " + Self.counts(agent), "32")
            case false?: ("✗ " + Self.counts(agent), "31")
            case nil: (agent.iteration == 0 ? "" : "…", "2")
            }
        let usage = "\(Self.tokens(agent.tokens)) tok \(Self.cost(agent.costUSD))"
        let fixed: [(String, String)] = [
            ("  " + Self.phaseSymbol(agent) + " ", Self.phaseColor(agent)),
            (Self.pad(agent.id, idWidth) + " ", "1"),
            (Self.pad(activity, 14) + " ", Self.phaseColor(agent)),
            (Self.pad(agent.iteration == 0 ? "" : "#\(agent.iteration)", 3) + " ", ""),
            (Self.pad(tests.0, 7) + " ", tests.1),
            (Self.pad(usage, 18), "2"),
        ]
        let used = fixed.reduce(0) { $0 + DisplayWidth.columns($1.0) }
        let summary = agent.failure.map { "failed: \($0)" } ?? agent.summary
        let room = width - used - 1
        guard room >= 8, !summary.isEmpty else {
            var trimmed = fixed
            trimmed[trimmed.count - 1].0 = usage  // no trailing padding at the end of the line
            return line(trimmed)
        }
        return line(fixed + [(" " + Self.oneLine(summary), agent.failure == nil ? "" : "31")])
    }

    /// Answers, counted votes, and the latest vote with its reason (or how the round ended).
    func roundLine(_ state: LiveViewState) -> String {
        let tally =
            state.votes.isEmpty
            ? "no votes"
            : "votes "
                + state.votes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                    separator: ", ")
        var parts: [(String, String)] = [
            ("  round: \(state.answers) answer\(state.answers == 1 ? "" : "s") · \(tally)", "")
        ]
        if let baseline = state.baseline { parts.append((" · " + baseline, "")) }
        if let landing = state.landing {
            parts.append((" · " + (state.roundResult.map { $0 + " · " } ?? "") + landing, "32"))
        } else if let result = state.roundResult {
            parts.append((" · " + result, "32"))
        } else if let vote = state.lastVote {
            parts.append((" · last vote " + Self.oneLine(vote), "35"))
        }
        return line(parts)
    }

    /// Joins styled segments, cutting at `width` columns (with an ellipsis) before colouring so
    /// escape codes never count against the width nor get cut in half.
    func line(_ segments: [(String, String)]) -> String {
        var out = ""
        var left = max(1, width - 1)  // the last column stays free: some terminals wrap on it
        for (text, style) in segments where left > 0 {
            var piece = text
            if DisplayWidth.columns(piece) > left {
                piece = DisplayWidth.prefix(piece, columns: max(0, left - 1)) + "…"
            }
            left -= DisplayWidth.columns(piece)
            out += color && !style.isEmpty ? "\u{1B}[\(style)m\(piece)\u{1B}[0m" : piece
        }
        return out
    }

    static func activity(_ agent: LiveViewState.Agent) -> String {
        if agent.phase == .waiting, let target = agent.votedFor { return "voted \(target)" }
        return agent.activity
    }

    static func phaseSymbol(_ agent: LiveViewState.Agent) -> String {
        switch agent.phase {
        case .done?: return "✓"
        case .failed?: return "✗"
        case .waiting?: return "·"
        case nil: return " "
        default: return "●"
        }
    }

    static func phaseColor(_ agent: LiveViewState.Agent) -> String {
        switch agent.phase {
        case .thinking?, .restarting?: return "36"
        case .tool?: return "34"
        case .testing?: return "33"
        case .voting?: return "35"
        case .waiting?: return "2"
        case .done?: return "32"
        case .failed?: return "31"
        case nil: return "2"
        }
    }

    static func symbol(finished: Bool) -> String { finished ? "✓" : "▶" }

    static func counts(_ agent: LiveViewState.Agent) -> String {
        guard let passed = agent.passedCount else { return agent.testsPassed == true ? "pass" : "fail" }
        return "\(passed)/\(passed + agent.failedCount)"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let columns = DisplayWidth.columns(text)
        guard columns < width else {
            let cut = DisplayWidth.prefix(text, columns: width)
            return cut + String(repeating: " ", count: width - DisplayWidth.columns(cut))
        }
        return text + String(repeating: " ", count: width - columns)
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    static func duration(_ seconds: TimeInterval) -> String {
        seconds < 60
            ? String(format: "%.1fs", seconds)
            : "\(Int(seconds) / 60)m\(String(format: "%02d", Int(seconds) % 60))s"
    }

    static func tokens(_ count: Int) -> String {
        count < 1000 ? "\(count)" : String(format: "%.1fk", Double(count) / 1000)
    }

    static func cost(_ usd: Double) -> String { String(format: "$%.4f", usd) }
}
