import Foundation
import GitWorkspace

/// One line of `mg sessions`.
public struct SessionSummary: Sendable, Hashable, Codable {
    /// Session id.
    public var id: String
    /// When it started.
    public var startedAt: Date
    /// Number of turns.
    public var turns: Int
    /// Status (`running` with a dead process shows as `interrupted`).
    public var status: SessionStatus
    /// The latest winner.
    public var winner: String?
    /// Total cost of its model calls in USD (calls without a known price count 0).
    public var costUSD: Double
    /// The first task.
    public var task: String
    /// Prompt tokens of its model calls, cached ones included.
    public var promptTokens: Int = 0
    /// Prompt tokens served from the provider's prompt cache.
    public var cachedTokens: Int = 0
    /// Completion (output) tokens.
    public var completionTokens: Int = 0
}

extension SessionStore {
    // MARK: Listing

    /// Sessions newest first, for `mg sessions`: one indexed scan plus two indexed lookups per row.
    public func listSessions(
        limit: Int = 10_000, isAlive: (Int32) -> Bool = SessionStore.processIsAlive
    ) throws(SessionStoreError) -> [SessionSummary] {
        try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.rows(
                """
                SELECT s.id, s.started_at, s.status, s.winner, s.task, s.pid,
                    (SELECT count(*) FROM turns t WHERE t.session_id = s.id),
                    (SELECT total(u.cost_usd) FROM token_usage u WHERE u.session_id = s.id),
                    (SELECT total(u.input_tokens) FROM token_usage u WHERE u.session_id = s.id),
                    (SELECT total(u.cached_input_tokens) FROM token_usage u WHERE u.session_id = s.id),
                    (SELECT total(u.output_tokens) FROM token_usage u WHERE u.session_id = s.id)
                FROM sessions s ORDER BY s.started_at DESC, s.id DESC LIMIT ?
                """, [.integer(Int64(limit))]
            ) { row in
                var status = SessionStatus(rawValue: row.text(2)) ?? .failed
                if status == .running, row.optionalInt(5).map({ isAlive(Int32($0)) }) != true {
                    status = .interrupted
                }
                return SessionSummary(
                    id: row.text(0), startedAt: row.date(1), turns: row.int(6), status: status,
                    winner: row.optionalText(3), costUSD: row.double(7), task: row.text(4),
                    promptTokens: row.int(8), cachedTokens: row.int(9), completionTokens: row.int(10))
            }
        }
    }

    /// One session, or `nil`.
    public func session(_ id: String) throws(SessionStoreError) -> SessionRecord? {
        try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.first("SELECT \(Self.sessionColumns) FROM sessions WHERE id = ?", [.text(id)], Self.sessionRecord)
        }
    }

    /// The most recently started session that was not imported (what `mg continue` picks).
    public func latestSession() throws(SessionStoreError) -> SessionRecord? {
        try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.first(
                "SELECT \(Self.sessionColumns) FROM sessions WHERE status != 'imported' "
                    + "ORDER BY started_at DESC, id DESC LIMIT 1", [], Self.sessionRecord)
        }
    }

    /// `id` when the store has it, else (with `nil`) the latest session — what `mg log` and
    /// `mg report` show when no session is named.
    public func sessionID(orLatest id: String?) throws -> String {
        if let id {
            guard try session(id) != nil else { throw SessionManagerError.unknownSession(id) }
            return id
        }
        guard let latest = try latestSession()?.id ?? listSessions(limit: 1).first?.id else {
            throw SessionManagerError.nothingToResume(session: nil)
        }
        return latest
    }

    /// The turns of a session in order.
    public func turns(of session: String) throws(SessionStoreError) -> [TurnRecord] {
        try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.rows(
                "SELECT \(Self.turnColumns) FROM turns WHERE session_id = ? ORDER BY n", [.text(session)], Self.turnRecord)
        }
    }

    /// The conversation history of a session (every turn, in order), media included.
    public func conversation(of session: String) throws(SessionStoreError) -> [ConversationEntry] {
        try database.read { (connection) throws(SessionStoreError) in
            var entries = try connection.rows(
                "SELECT id, session_id, turn, role, text, created_at FROM conversation WHERE session_id = ? "
                    + "ORDER BY turn, id", [.text(session)]
            ) { row in
                ConversationEntry(
                    session: row.text(1), turn: row.int(2), role: ConversationRole(rawValue: row.text(3)) ?? .system,
                    text: row.text(4), createdAt: row.date(5), id: Int64(row.int(0)))
            }
            var media: [Int64: [MediaReference]] = [:]
            for item in try Self.conversationMedia(connection, session: session) {
                media[item.message, default: []].append(item.reference)
            }
            for index in entries.indices { entries[index].media = media[entries[index].id] ?? [] }
            return entries
        }
    }

    /// Every media reference of a session's conversation, in the order attached, with the message,
    /// turn and role it belongs to (`conversation(of:)`, and the attachments of `log(of:)`).
    static func conversationMedia(_ connection: SQLiteConnection, session: String) throws(SessionStoreError)
        -> [(message: Int64, turn: Int, role: ConversationRole, reference: MediaReference)]
    {
        try connection.rows(
            """
            SELECT m.message_id, c.turn, c.role, m.path, m.sha256, m.mime FROM conversation_media m
            JOIN conversation c ON c.id = m.message_id WHERE c.session_id = ? ORDER BY m.id
            """, [.text(session)]
        ) { row in
            (
                Int64(row.int(0)), row.int(1), ConversationRole(rawValue: row.text(2)) ?? .system,
                MediaReference(path: row.text(3), sha256: row.text(4), mime: row.text(5))
            )
        }
    }

    // MARK: Row mapping

    static let sessionColumns =
        "id, repository, started_at, ended_at, status, task, base_commit, target_ref, merge_mode, winner, pid, legacy_path"

    static func sessionRecord(_ row: SQLiteRow) -> SessionRecord {
        SessionRecord(
            id: row.text(0), repository: row.text(1), task: row.text(5), startedAt: row.date(2),
            endedAt: row.optionalDate(3), status: SessionStatus(rawValue: row.text(4)) ?? .failed,
            baseCommit: row.optionalText(6), targetRef: row.optionalText(7), mergeMode: row.optionalText(8),
            winner: row.optionalText(9), pid: row.optionalInt(10).map { Int32(truncatingIfNeeded: $0) },
            legacyPath: row.optionalText(11))
    }

    static let turnColumns =
        "session_id, n, task, base_commit, winner, merged_commit, merge_how, status, answer, started_at, ended_at, "
        + "legacy_path, ballot_seed, decision"

    static func turnRecord(_ row: SQLiteRow) throws(SessionStoreError) -> TurnRecord {
        var turn = TurnRecord(
            session: row.text(0), number: row.int(1), task: row.text(2), baseCommit: row.optionalText(3),
            winner: row.optionalText(4), mergedCommit: row.optionalText(5), mergeHow: row.optionalText(6),
            status: SessionStatus(rawValue: row.text(7)) ?? .failed, answer: row.optionalText(8),
            startedAt: row.date(9), endedAt: row.optionalDate(10), legacyPath: row.optionalText(11))
        turn.ballotSeed = row.optionalText(12).flatMap { UInt64($0) }
        if let decision = row.optionalText(13) {
            turn.decision = try decodeJSON(Decision.self, from: decision, what: "turn decision")
        }
        return turn
    }

    static let agentColumns = "session_id, turn, agent_id, anonymous_id, backend_type, model, branch, worktree_path, failure"

    static func agentRecord(_ row: SQLiteRow) -> StoredAgent {
        var agent = StoredAgent(
            session: row.text(0), turn: row.int(1), agent: row.text(2), anonymousID: row.text(3),
            backendType: row.optionalText(4), model: row.optionalText(5), branch: row.optionalText(6),
            worktreePath: row.optionalText(7))
        agent.failure = row.optionalText(8)
        return agent
    }
}
