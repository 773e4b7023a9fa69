import Foundation
import GitWorkspace

/// The durable record of mg sessions: `.massgen/sessions/mg.sqlite`.
///
/// Every method is synchronous and is its own transaction, committed with `synchronous=FULL`
/// (fsync'd) before it returns. Callers write a state change *before* taking the action it
/// describes, so a session killed at any point is visible afterwards (`interruptedSessions`).
/// Several processes may open the same file: WAL lets readers run beside a writer, and writers
/// queue on the busy timeout.
public final class SessionStore: Sendable {
    /// The database file.
    public var path: String { database.path }
    /// Rewrites agent-worktree paths in stored history to repository-relative form.
    public let normalizer: WorktreePathNormalizer
    let database: SQLiteDatabase

    /// The store file name inside `.massgen/sessions/`.
    public static let fileName = "mg.sqlite"

    /// Opens (creating and migrating as needed) the store of the repository laid out by `layout`.
    public static func open(layout: ProjectLayout) throws(SessionStoreError) -> SessionStore {
        do throws(GitWorkspaceError) {
            try layout.ensureFolder(layout.sessionsDirectory)
        } catch {
            throw .cannotOpen(path: layout.sessionsDirectory, reason: error.description)
        }
        return try SessionStore(
            path: layout.sessionsDirectory + "/" + fileName,
            normalizer: WorktreePathNormalizer(repositoryRoot: layout.repositoryRoot))
    }

    /// The store for commands that only read (`mg status`, `sessions`, `log`, `stats`, `undo
    /// --list`): the repository's when it exists, else an empty one in memory — so reading in a
    /// repository mg never worked in creates nothing there (no `.massgen/`, no database).
    public static func openForReading(layout: ProjectLayout) throws(SessionStoreError) -> SessionStore {
        let file = layout.sessionsDirectory + "/" + fileName
        guard FileManager.default.fileExists(atPath: file) else {
            return try SessionStore(
                path: ":memory:", normalizer: WorktreePathNormalizer(repositoryRoot: layout.repositoryRoot))
        }
        return try open(layout: layout)
    }

    /// Opens (creating and migrating as needed) the store at `path`.
    public init(path: String, normalizer: WorktreePathNormalizer = WorktreePathNormalizer()) throws(SessionStoreError) {
        self.database = try SQLiteDatabase(path: path)
        self.normalizer = normalizer
        try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.execute(SessionSchema.connectionPragmas)
        }
        try SessionSchema.migrate(database)
    }

    /// Closes the connection; later calls throw `.closed`.
    public func close() { database.close() }

    /// The schema version of the open file.
    public func schemaVersion() throws(SessionStoreError) -> Int {
        try database.withConnection { (connection) throws(SessionStoreError) in try connection.userVersion() }
    }

    /// `PRAGMA integrity_check`: `["ok"]` for a sound file, else the problems SQLite found.
    public func integrityCheck() throws(SessionStoreError) -> [String] {
        try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.rows("PRAGMA integrity_check") { $0.text(0) }
        }
    }

    // MARK: Sessions and turns

    /// Records a new session (status `running`, with this pid) before any of its work starts.
    public func beginSession(_ session: SessionRecord) throws(SessionStoreError) {
        try write("after-session-begin") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO sessions (id, repository, started_at, ended_at, status, task, base_commit, target_ref,
                    merge_mode, winner, pid, legacy_path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                """,
                [
                    .text(session.id), .text(session.repository), .real(session.startedAt.timeIntervalSince1970),
                    .optional(session.endedAt?.timeIntervalSince1970), .text(session.status.rawValue),
                    .text(normalizer.normalize(session.task)), .optional(session.baseCommit), .optional(session.targetRef),
                    .optional(session.mergeMode), .optional(session.winner), .optional(session.pid.map(Int.init)),
                    .optional(session.legacyPath),
                ])
        }
    }

    /// Ends a session with `status` (and the winner, when known).
    public func finishSession(
        _ id: String, status: SessionStatus, winner: String? = nil, at date: Date = Date()
    ) throws(SessionStoreError) {
        try write("after-session-finish") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, winner = coalesce(?, winner) WHERE id = ?",
                [.text(status.rawValue), .real(date.timeIntervalSince1970), .optional(winner), .text(id)])
            guard connection.changes == 1 else { throw .notFound(what: "session \(id)") }
        }
    }

    /// Marks a session `running` again under this process (for `mg continue --resume` and new turns).
    public func resumeSession(_ id: String, pid: Int32 = ProcessInfo.processInfo.processIdentifier) throws(SessionStoreError) {
        try write("after-session-resume") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE sessions SET status = 'running', ended_at = NULL, pid = ? WHERE id = ?",
                [.integer(Int64(pid)), .text(id)])
            guard connection.changes == 1 else { throw .notFound(what: "session \(id)") }
        }
    }

    /// Records the start of a turn before its agents start.
    public func beginTurn(_ turn: TurnRecord) throws(SessionStoreError) {
        try write("after-turn-begin") { (connection) throws(SessionStoreError) in
            try insertTurn(turn, connection)
        }
    }

    func insertTurn(_ turn: TurnRecord, _ connection: SQLiteConnection) throws(SessionStoreError) {
        try connection.execute(
            """
            INSERT INTO turns (session_id, n, task, base_commit, winner, merged_commit, merge_how, status, answer,
                started_at, ended_at, legacy_path) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """,
            [
                .text(turn.session), .integer(Int64(turn.number)), .text(normalizer.normalize(turn.task)),
                .optional(turn.baseCommit), .optional(turn.winner), .optional(turn.mergedCommit),
                .optional(turn.mergeHow), .text(turn.status.rawValue), .optional(turn.answer.map(normalizer.normalize)),
                .real(turn.startedAt.timeIntervalSince1970), .optional(turn.endedAt?.timeIntervalSince1970),
                .optional(turn.legacyPath),
            ])
    }

    /// Records a turn's outcome: its winner, the winning answer, and how (or whether) it was merged.
    /// The session's `winner` follows the latest turn's.
    public func finishTurn(
        session: String, turn: Int, status: SessionStatus, winner: String? = nil, answer: String? = nil,
        mergedCommit: String? = nil, mergeHow: String? = nil, at date: Date = Date()
    ) throws(SessionStoreError) {
        try write("after-turn-finish") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                UPDATE turns SET status = ?, winner = coalesce(?, winner), answer = coalesce(?, answer),
                    merged_commit = coalesce(?, merged_commit), merge_how = coalesce(?, merge_how), ended_at = ?
                WHERE session_id = ? AND n = ?
                """,
                [
                    .text(status.rawValue), .optional(winner), .optional(answer.map(normalizer.normalize)),
                    .optional(mergedCommit), .optional(mergeHow), .real(date.timeIntervalSince1970), .text(session),
                    .integer(Int64(turn)),
                ])
            guard connection.changes == 1 else { throw .notFound(what: "turn \(turn) of session \(session)") }
            if let winner {
                try connection.execute("UPDATE sessions SET winner = ? WHERE id = ?", [.text(winner), .text(session)])
            }
        }
    }

    // MARK: Evidence

    /// Records an agent (with its worktree and branch) before its worktree is created.
    public func recordAgent(_ agent: StoredAgent) throws(SessionStoreError) {
        try write("after-agent-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO agents (session_id, turn, agent_id, anonymous_id, backend_type, model, branch, worktree_path)
                VALUES (?,?,?,?,?,?,?,?)
                """,
                [
                    .text(agent.session), .integer(Int64(agent.turn)), .text(agent.agent), .text(agent.anonymousID),
                    .optional(agent.backendType), .optional(agent.model), .optional(agent.branch),
                    .optional(agent.worktreePath),
                ])
        }
    }

    /// Records an answer's iteration commit (and whether it was accepted); returns its row id.
    @discardableResult
    public func recordIteration(_ iteration: IterationRecord) throws(SessionStoreError) -> Int64 {
        let changedTests = try Self.encodeJSON(iteration.changedTests, what: "changed test files")
        return try write("after-iteration-record") { (connection) throws(SessionStoreError) -> Int64 in
            try connection.execute(
                """
                INSERT INTO iterations (session_id, turn, agent_id, n, commit_id, parent_commit, summary, files_changed,
                    insertions, deletions, accepted, rejection_reason, created_at, changed_tests, no_change)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """,
                [
                    .text(iteration.session), .integer(Int64(iteration.turn)), .text(iteration.agent),
                    .integer(Int64(iteration.number)), .text(iteration.commitID), .optional(iteration.parentCommit),
                    .text(normalizer.normalize(iteration.summary)), .integer(Int64(iteration.filesChanged)),
                    .integer(Int64(iteration.insertions)), .integer(Int64(iteration.deletions)),
                    .bool(iteration.accepted), .optional(iteration.rejectionReason),
                    .real(iteration.createdAt.timeIntervalSince1970), .text(changedTests), .bool(iteration.noChange),
                ])
            return connection.lastInsertedRowID
        }
    }

    /// Records a vote.
    public func recordVote(_ vote: StoredVote) throws(SessionStoreError) {
        try write("after-vote-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO votes (session_id, turn, round, voter, target, reason, ignored, created_at, target_passed)
                VALUES (?,?,?,?,?,?,?,?,?)
                """,
                [
                    .text(vote.session), .integer(Int64(vote.turn)), .integer(Int64(vote.round)), .text(vote.voter),
                    .text(vote.target), .text(normalizer.normalize(vote.reason)), .bool(vote.ignored),
                    .real(vote.createdAt.timeIntervalSince1970), vote.targetPassed.map(SQLiteValue.bool) ?? .null,
                ])
        }
    }

    /// Records a test run of one candidate.
    public func recordTestResult(_ result: TestResultRecord) throws(SessionStoreError) {
        let names = try Self.encodeJSON(normalizer.normalize(result.failingNames), what: "failing test names")
        let passing = try Self.encodeJSON(normalizer.normalize(result.passingNames), what: "passing test names")
        try write("after-test-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO test_results (session_id, turn, agent_id, commit_id, passed, passed_count, failed_count,
                    failing_names, output_tail, duration_seconds, created_at, kind, command, passing_names)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """,
                [
                    .text(result.session), .integer(Int64(result.turn)), .text(result.agent), .text(result.commitID),
                    .bool(result.passed), .integer(Int64(result.passedCount)), .integer(Int64(result.failedCount)),
                    .text(names), .text(normalizer.normalize(result.outputTail)), .real(result.durationSeconds),
                    .real(result.createdAt.timeIntervalSince1970), .text(result.kind), .optional(result.command),
                    .text(passing),
                ])
        }
    }

    /// Records a round's similarity matrix.
    public func recordSimilarity(_ similarity: StoredSimilarity) throws(SessionStoreError) {
        let agents = try Self.encodeJSON(similarity.agents, what: "similarity agents")
        let matrix = try Self.encodeJSON(similarity.matrix, what: "similarity matrix")
        try write("after-similarity-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO similarity (session_id, turn, round, label, agents, matrix, created_at)
                VALUES (?,?,?,?,?,?,?)
                """,
                [
                    .text(similarity.session), .integer(Int64(similarity.turn)), .integer(Int64(similarity.round)),
                    .text(similarity.label), .text(agents), .text(matrix),
                    .real(similarity.createdAt.timeIntervalSince1970),
                ])
        }
    }

    /// Records the tokens and cost of one model call.
    public func recordUsage(_ usage: UsageRecord) throws(SessionStoreError) {
        try write("after-usage-record") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                INSERT INTO token_usage (session_id, turn, agent_id, model, input_tokens, output_tokens,
                    cached_input_tokens, cost_usd, created_at) VALUES (?,?,?,?,?,?,?,?,?)
                """,
                [
                    .text(usage.session), .integer(Int64(usage.turn)), .text(usage.agent), .optional(usage.model),
                    .integer(Int64(usage.inputTokens)), .integer(Int64(usage.outputTokens)),
                    .integer(Int64(usage.cachedInputTokens)), .optional(usage.costUSD),
                    .real(usage.createdAt.timeIntervalSince1970),
                ])
        }
    }

    /// Appends a conversation message (text normalized, media by reference); returns its id.
    @discardableResult
    public func appendConversation(_ entry: ConversationEntry) throws(SessionStoreError) -> Int64 {
        try write("after-conversation-record") { (connection) throws(SessionStoreError) -> Int64 in
            try connection.execute(
                "INSERT INTO conversation (session_id, turn, role, text, created_at) VALUES (?,?,?,?,?)",
                [
                    .text(entry.session), .integer(Int64(entry.turn)), .text(entry.role.rawValue),
                    .text(normalizer.normalize(entry.text)), .real(entry.createdAt.timeIntervalSince1970),
                ])
            let id = connection.lastInsertedRowID
            for media in entry.media {
                try connection.execute(
                    "INSERT INTO conversation_media (message_id, path, sha256, mime) VALUES (?,?,?,?)",
                    [.integer(id), .text(normalizer.normalize(media.path)), .text(media.sha256), .text(media.mime)])
            }
            return id
        }
    }

    // MARK: Plumbing

    /// One committed write transaction, then the named fault point.
    func write<T>(
        _ faultPoint: String, _ body: (SQLiteConnection) throws(SessionStoreError) -> T
    ) throws(SessionStoreError) -> T {
        let value = try database.write(body)
        FaultPoint.hit(faultPoint)
        return value
    }

    static func encodeJSON<T: Encodable>(_ value: T, what: String) throws(SessionStoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .encoding(what: what, reason: "\(error)")
        }
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, from text: String, what: String) throws(SessionStoreError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .encoding(what: what, reason: "\(error)")
        }
    }
}
