import Foundation

/// The figures of a fix-rate run: a table per case and in total, and the same as JSON.
struct FixRateReport: Codable {
    var label: String
    var baseURL: String
    var model: String
    var toolMode: String
    var editFormat: String
    var timeoutSeconds: Int
    var repeats: Int
    var agentCounts: [Int]
    var sessions: [FixRateSession]
    var totalWallSeconds: Double

    /// Totals for one agent count.
    struct Totals: Codable {
        var agents: Int
        var sessions: Int
        var fixed: Int
        var wallSeconds: Double
        var endedInLimits: Int
        var figures: TranscriptFigures
        /// Valid turns ÷ model turns.
        var validTurnShare: Double
        /// Median prompt time of each run's first call and of its follow-up calls (ms).
        var firstPromptMedianMs: Double
        var followUpPromptMedianMs: Double
    }

    func totals(agents: Int) -> Totals {
        let mine = sessions.filter { $0.agents == agents }
        let figures = mine.map(\.figures).reduce(TranscriptFigures(), +)
        return Totals(
            agents: agents, sessions: mine.count, fixed: mine.filter(\.fixed).count,
            wallSeconds: mine.reduce(0) { $0 + $1.wallSeconds }, endedInLimits: mine.filter(\.endedInLimits).count,
            figures: figures,
            validTurnShare: figures.modelTurns == 0 ? 0 : Double(figures.validTurns) / Double(figures.modelTurns),
            firstPromptMedianMs: median(figures.firstPromptMilliseconds),
            followUpPromptMedianMs: median(figures.followUpPromptMilliseconds))
    }

    /// Fixes with the most agents ÷ fixes with one agent (`nil` without both, or no single-agent fix).
    var lift: Double? {
        guard agentCounts.contains(1), let most = agentCounts.max(), most > 1 else { return nil }
        let single = totals(agents: 1).fixed
        return single == 0 ? nil : Double(totals(agents: most).fixed) / Double(single)
    }

    static func progressLine(_ session: FixRateSession) -> String {
        let f = session.figures
        return String(
            format: "%@  %d agent(s)  #%d  %@  %5.0f s  turns %d (%d unparsed)  tokens %d prompt / %d cached / %d completion  %@  load %.1f",
            session.caseName, session.agents, session.repetition, session.fixed ? "FIXED " : "failed", session.wallSeconds,
            f.modelTurns, f.parseFailures, f.promptTokens, f.cachedTokens, f.completionTokens, session.outcome,
            session.loadAverage ?? -1)
    }

    /// The human table.
    func table() -> String {
        var lines: [String] = []
        let counts = agentCounts.sorted()
        var header = "case".padding(toLength: 24, withPad: " ", startingAt: 0)
        for agents in counts { header += " | \(agents) agent\(agents == 1 ? " " : "s"): fixed   time  turns unparsed  prompt/cached/compl." }
        lines.append(header)
        lines.append(String(repeating: "-", count: header.count))
        for name in Array(Set(sessions.map(\.caseName))).sorted() {
            var row = name.padding(toLength: 24, withPad: " ", startingAt: 0)
            for agents in counts {
                let runs = sessions.filter { $0.caseName == name && $0.agents == agents }
                let f = runs.map(\.figures).reduce(TranscriptFigures(), +)
                let wall = runs.isEmpty ? 0 : runs.reduce(0) { $0 + $1.wallSeconds } / Double(runs.count)
                row += String(
                    format: " | %@ %4d/%-4d %5.0f s %5d %8d  %@",
                    String(repeating: " ", count: agents == 1 ? 9 : 10), runs.filter(\.fixed).count, runs.count, wall,
                    f.modelTurns, f.parseFailures, "\(f.promptTokens)/\(f.cachedTokens)/\(f.completionTokens)")
            }
            lines.append(row)
        }
        lines.append("")
        for agents in counts {
            let t = totals(agents: agents)
            let cacheShare = t.figures.promptTokens == 0 ? 0 : Double(t.figures.cachedTokens) / Double(t.figures.promptTokens)
            let ratio = t.firstPromptMedianMs == 0 ? 0 : t.followUpPromptMedianMs / t.firstPromptMedianMs
            lines.append(
                String(
                    format: "%d agent(s): fixed %d of %d (%.0f%%), %.0f min in all, ended within limits %d of %d; "
                        + "model turns %d, valid call or edit %.1f%% (%d unparsed); tokens %d prompt (%.0f%% from cache), %d completion; "
                        + "prompt time median: first call of a run %.0f ms, follow-up %.0f ms (ratio %.2f); fell back to text %d×",
                    agents, t.fixed, t.sessions, t.sessions == 0 ? 0 : 100 * Double(t.fixed) / Double(t.sessions), t.wallSeconds / 60,
                    t.endedInLimits, t.sessions, t.figures.modelTurns, 100 * t.validTurnShare, t.figures.parseFailures,
                    t.figures.promptTokens, 100 * cacheShare, t.figures.completionTokens, t.firstPromptMedianMs,
                    t.followUpPromptMedianMs, ratio, t.figures.textFallbacks))
        }
        if let lift {
            lines.append(String(format: "lift (%d-agent fixes ÷ 1-agent fixes): %.2f", agentCounts.max() ?? 0, lift))
        } else if agentCounts.contains(1), (agentCounts.max() ?? 1) > 1 {
            lines.append("lift: undefined (no single-agent fix)")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty JSON, with the totals and the lift.
    func json() throws -> Data {
        struct Document: Encodable {
            var report: FixRateReport
            var totals: [Totals]
            var lift: Double?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(
            Document(report: self, totals: agentCounts.sorted().map { totals(agents: $0) }, lift: lift))
    }
}
