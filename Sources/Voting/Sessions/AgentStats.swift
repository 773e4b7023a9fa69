import Foundation

/// How one agent (a configured id with one model) has done across a repository's sessions:
/// what `mg stats` prints. Read from the session store alone.
public struct AgentStats: Sendable, Hashable, Codable {
    /// The configured agent id.
    public var agent: String
    /// Its model (`-` when none was recorded).
    public var model: String
    /// Sessions it took part in.
    public var sessions: Int
    /// Turns it took part in (a session has one or more).
    public var turns: Int
    /// Answers it gave.
    public var answers: Int
    /// Turns it won (its answer was chosen).
    public var wins: Int
    /// Answers whose judged tests passed.
    public var answersPassingTests: Int
    /// Answers that changed existing tests.
    public var answersChangingTests: Int
    /// Counted votes it cast for an answer whose tests failed at the time.
    public var votesForFailingAnswers: Int
    /// Turns where it voted for an answer other than the chosen one and the evidence overruled the vote.
    public var votesOverruledByEvidence: Int
    /// Mean input + output tokens per turn.
    public var meanTokens: Double
    /// Mean input tokens served from the provider's cache per turn.
    public var meanCachedTokens: Double
    /// Mean cost per turn in USD.
    public var meanCostUSD: Double
    /// Mean wall time of its turns in seconds.
    public var meanWallSeconds: Double

    /// Wins per turn (0 when it took part in none).
    public var winRate: Double { turns == 0 ? 0 : Double(wins) / Double(turns) }

    /// The table `mg stats` prints, one row per agent and model.
    public static func table(_ stats: [AgentStats]) -> String {
        let header = [
            "AGENT", "MODEL", "SESSIONS", "ANSWERS", "WINS", "WIN RATE", "PASSED TESTS", "CHANGED TESTS",
            "VOTES FOR FAILING", "OVERRULED", "TOKENS/TURN", "COST/TURN", "TIME/TURN",
        ]
        let rows = stats.map { entry in
            [
                entry.agent, entry.model, String(entry.sessions), String(entry.answers), String(entry.wins),
                String(format: "%.0f%%", entry.winRate * 100), "\(entry.answersPassingTests)/\(entry.answers)",
                String(entry.answersChangingTests), String(entry.votesForFailingAnswers),
                String(entry.votesOverruledByEvidence), String(format: "%.0f", entry.meanTokens),
                String(format: "$%.4f", entry.meanCostUSD), String(format: "%.1fs", entry.meanWallSeconds),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
