import Voting

/// Plain output: the same tool call by the same agent, back to back, is printed once and then
/// summed up in one line when the agent does something else ("… the same call 8 more times") —
/// a scripted agent polling while it waits, or a model stuck re-reading one file, would
/// otherwise fill the log with identical lines. The summary carries the time it is printed
/// (lines stay in time order) and says when the last repeat was.
struct RepeatedCallCollapser {
    private struct Run {
        var text: String
        var agent: String
        var lastStamp: Substring
        var repeats: Int
    }

    private var runs: [String: Run] = [:]

    /// The lines to print for `event`, whose plain line is `line` (`HH:MM:SS text`).
    mutating func lines(for event: SessionEvent, line: String) -> [String] {
        // Session-wide lines (round finished, session finished) close every open run first.
        let stamp = line.prefix(8)
        guard let agent = event.agent else { return flush(at: stamp) + [line] }
        let text = String(line.dropFirst(9))
        if event.kind == .toolCall, var run = runs[agent], run.text == text {
            run.repeats += 1
            run.lastStamp = stamp
            runs[agent] = run
            return []
        }
        var out = summary(of: runs.removeValue(forKey: agent), at: stamp).map { [$0] } ?? []
        out.append(line)
        if event.kind == .toolCall { runs[agent] = Run(text: text, agent: agent, lastStamp: stamp, repeats: 0) }
        return out
    }

    /// Summaries of the runs still open (at the end of the session), stamped `stamp`.
    mutating func flush(at stamp: Substring) -> [String] {
        let open = runs.values.sorted { $0.agent < $1.agent }
        runs = [:]
        return open.compactMap { summary(of: $0, at: stamp) }
    }

    private func summary(of run: Run?, at stamp: Substring) -> String? {
        guard let run, run.repeats > 0 else { return nil }
        let times = "\(run.repeats) more time\(run.repeats == 1 ? "" : "s")"
        return "\(stamp) \(run.agent): … the same call \(times), the last at \(run.lastStamp)"
    }
}
