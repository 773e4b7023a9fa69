import CodingAgent
import Foundation
import GitWorkspace

/// A round's tally as stored: why it ended and the ranking, winner first. Each entry is kept as
/// the JSON object the tally produced (`anonymousID`, `votes`, `decidedBy`, …), so keys the
/// ranking gains later are stored and shown without a schema change.
public struct StoredRanking: Sendable, Hashable, Codable {
    /// The turn.
    public var turn: Int
    /// The round (1-based).
    public var round: Int
    /// Why the round ended (`all_voted`, `timeout`, …).
    public var reason: String
    /// The entries, winner first.
    public var entries: [[String: JSONValue]]
}

/// A reviewed change (`mg review`) as stored: the range, its commits and the verdict.
public struct StoredReview: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn (1 for a review).
    public var turn: Int
    /// What was asked for: `A..B`, `staged`, or the pushed refs.
    public var range: String
    /// The commit the change starts from.
    public var baseCommit: String
    /// The commit holding the change.
    public var headCommit: String
    /// Whether unanimity was required.
    public var strict: Bool
    /// The verdict, once decided (`nil` while running or when no verdict could be reached).
    public var verdict: ReviewVerdict?
    /// The exit code the review ended with.
    public var exitCode: Int?
    /// Every reviewer's own findings, in the order reported.
    public var findings: [ReviewFinding] = []
}

extension SessionStore {
    /// Records the ranking a round ended with.
    public func recordRanking(
        session: String, turn: Int, round: Int, reason: String, ranking: [TallyEntry], at date: Date = Date()
    ) throws(SessionStoreError) {
        let json = try Self.encodeJSON(ranking, what: "ranking")
        try write("after-ranking-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "INSERT INTO rankings (session_id, turn, round, reason, ranking, created_at) VALUES (?,?,?,?,?,?)",
                [
                    .text(session), .integer(Int64(turn)), .integer(Int64(round)), .text(reason), .text(json),
                    .real(date.timeIntervalSince1970),
                ])
        }
    }

    /// The rankings of a session's rounds, in order.
    public func rankings(of session: String) throws(SessionStoreError) -> [StoredRanking] {
        let rows = try database.read { (connection) throws(SessionStoreError) in
            try connection.rows(
                "SELECT turn, round, reason, ranking FROM rankings WHERE session_id = ? ORDER BY id", [.text(session)]
            ) { ($0.int(0), $0.int(1), $0.text(2), $0.text(3)) }
        }
        var rankings: [StoredRanking] = []
        for row in rows {
            let entries = try Self.decodeJSON([[String: JSONValue]].self, from: row.3, what: "ranking")
            rankings.append(StoredRanking(turn: row.0, round: row.1, reason: row.2, entries: entries))
        }
        return rankings
    }

    /// Records the change a review turn is about, before its reviewers start.
    public func beginReview(_ review: StoredReview) throws(SessionStoreError) {
        try write("after-review-begin") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO reviews (session_id, turn, range, base_commit, head_commit, strict, verdict, exit_code)
                VALUES (?,?,?,?,?,?,?,?)
                """,
                [
                    .text(review.session), .integer(Int64(review.turn)), .text(review.range), .text(review.baseCommit),
                    .text(review.headCommit), .bool(review.strict), .optional(review.verdict?.rawValue),
                    .optional(review.exitCode),
                ])
        }
    }

    /// Records one reviewer's finding.
    public func recordFinding(
        session: String, turn: Int, agent: String, finding: ReviewFinding, at date: Date = Date()
    ) throws(SessionStoreError) {
        try write("after-finding-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO review_findings (session_id, turn, agent_id, path, line, severity, text, created_at)
                VALUES (?,?,?,?,?,?,?,?)
                """,
                [
                    .text(session), .integer(Int64(turn)), .text(agent), .text(finding.path), .optional(finding.line),
                    .text(finding.severity.rawValue), .text(normalizer.normalize(finding.text)),
                    .real(date.timeIntervalSince1970),
                ])
        }
    }

    /// Records the verdict a review reached (`nil`: none) and its exit code.
    public func finishReview(
        session: String, turn: Int, verdict: ReviewVerdict?, exitCode: Int
    ) throws(SessionStoreError) {
        try write("after-review-finish") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE reviews SET verdict = ?, exit_code = ? WHERE session_id = ? AND turn = ?",
                [.optional(verdict?.rawValue), .integer(Int64(exitCode)), .text(session), .integer(Int64(turn))])
            guard connection.changes == 1 else { throw .notFound(what: "review turn \(turn) of session \(session)") }
        }
    }

    /// The reviews of a session (empty for a coding session), with their findings.
    public func reviews(of session: String) throws(SessionStoreError) -> [StoredReview] {
        try database.read { (connection) throws(SessionStoreError) -> [StoredReview] in
            var reviews = try connection.rows(
                """
                SELECT session_id, turn, range, base_commit, head_commit, strict, verdict, exit_code FROM reviews
                WHERE session_id = ? ORDER BY turn
                """, [.text(session)]
            ) { row in
                StoredReview(
                    session: row.text(0), turn: row.int(1), range: row.text(2), baseCommit: row.text(3),
                    headCommit: row.text(4), strict: row.bool(5),
                    verdict: row.optionalText(6).flatMap(ReviewVerdict.init(rawValue:)), exitCode: row.optionalInt(7))
            }
            let findings = try connection.rows(
                "SELECT turn, agent_id, path, line, severity, text FROM review_findings WHERE session_id = ? ORDER BY id",
                [.text(session)]
            ) { row in
                (
                    row.int(0),
                    ReviewFinding(
                        path: row.text(2), line: row.optionalInt(3),
                        severity: FindingSeverity(rawValue: row.text(4)) ?? .info, text: row.text(5),
                        agents: [row.text(1)])
                )
            }
            for index in reviews.indices {
                reviews[index].findings = findings.filter { $0.0 == reviews[index].turn }.map(\.1)
            }
            return reviews
        }
    }
}

/// Tokens and cost of one agent in one turn.
public struct AgentUsage: Sendable, Hashable, Codable {
    /// The turn.
    public var turn: Int
    /// The agent.
    public var agent: String
    /// Input tokens.
    public var inputTokens: Int
    /// Output tokens.
    public var outputTokens: Int
    /// Input tokens served from the provider's cache.
    public var cachedTokens: Int
    /// Cost in USD (calls without a price count 0).
    public var costUSD: Double
}

extension SessionStore {
    /// Every agent's tokens and cost per turn.
    public func usageByAgent(of session: String) throws(SessionStoreError) -> [AgentUsage] {
        try database.read { (connection) throws(SessionStoreError) in
            try connection.rows(
                """
                SELECT turn, agent_id, sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), total(cost_usd)
                FROM token_usage WHERE session_id = ? GROUP BY turn, agent_id ORDER BY turn, agent_id
                """, [.text(session)]
            ) { row in
                AgentUsage(
                    turn: row.int(0), agent: row.text(1), inputTokens: row.int(2), outputTokens: row.int(3),
                    cachedTokens: row.int(4), costUSD: row.double(5))
            }
        }
    }
}
