import Foundation
import GitWorkspace

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A session left `running` or `interrupted`, with what it left behind for resume or clean.
public struct UnfinishedSession: Sendable, Hashable, Codable {
    /// The session (its status is `interrupted` when its process is gone).
    public var session: SessionRecord
    /// The last turn started.
    public var turn: Int?
    /// That turn's task (the session's first task is `session.task`).
    public var turnTask: String?
    /// Agents of that turn, with their worktrees and branches.
    public var agents: [StoredAgent]
}

extension SessionStore {
    // MARK: Operation log

    /// Logs an operation (a merge-back, a `clean`) with everything needed to undo it, *before*
    /// it is carried out (`state` `.planned`; a transaction marks it `.done` once it landed);
    /// returns its id.
    @discardableResult
    public func recordOperation(
        _ record: OperationRecord, session: String? = nil, turn: Int? = nil, state: OperationState = .done
    ) throws(SessionStoreError) -> Int64 {
        let json = try Self.encodeJSON(record, what: "operation record")
        return try write("after-operation-record") { (connection) throws(SessionStoreError) -> Int64 in
            try connection.execute(
                """
                INSERT INTO operations (session_id, kind, summary, record, undone, created_at, state, turn)
                VALUES (?,?,?,?,0,?,?,?)
                """,
                [
                    .optional(session), .text(OperationLogEntry.kindName(record.kind)), .text(record.summary),
                    .text(json), .real(record.date.timeIntervalSince1970), .text(state.rawValue), .optional(turn),
                ])
            return connection.lastInsertedRowID
        }
    }

    /// Replaces a logged operation's record (e.g. with the after-states once it completed) and state.
    public func updateOperation(
        _ id: Int64, record: OperationRecord, state: OperationState = .done
    ) throws(SessionStoreError) {
        let json = try Self.encodeJSON(record, what: "operation record")
        try write("after-operation-update") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE operations SET record = ?, summary = ?, kind = ?, state = ? WHERE id = ?",
                [
                    .text(json), .text(record.summary), .text(OperationLogEntry.kindName(record.kind)),
                    .text(state.rawValue), .integer(id),
                ])
            guard connection.changes == 1 else { throw .notFound(what: "operation \(id)") }
        }
    }

    /// Sets an operation's journal state (and the problem of a failed rollback).
    public func setOperationState(
        _ id: Int64, _ state: OperationState, problem: String? = nil
    ) throws(SessionStoreError) {
        try write("after-operation-state") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE operations SET state = ?, problem = ? WHERE id = ?",
                [.text(state.rawValue), .optional(problem), .integer(id)])
            guard connection.changes == 1 else { throw .notFound(what: "operation \(id)") }
        }
    }

    /// Removes a logged operation that was never carried out (it was refused or failed before
    /// changing anything).
    public func discardOperation(_ id: Int64) throws(SessionStoreError) {
        try write("after-operation-discarded") { (connection) throws(SessionStoreError) in
            try connection.execute("DELETE FROM operations WHERE id = ? AND undone = 0", [.integer(id)])
        }
    }

    /// Marks an operation reverted by `mg undo` (so the next undo goes further back).
    public func markOperationUndone(_ id: Int64, at date: Date = Date()) throws(SessionStoreError) {
        try write("after-operation-undone") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE operations SET undone = 1, undone_at = ? WHERE id = ? AND undone = 0",
                [.real(date.timeIntervalSince1970), .integer(id)])
            guard connection.changes == 1 else { throw .notFound(what: "operation \(id) that is not yet undone") }
        }
    }

    /// The operation log, newest first; `includeUndone: false` gives what `mg undo` may revert.
    public func operations(includeUndone: Bool = true, limit: Int = 1000) throws(SessionStoreError) -> [OperationLogEntry] {
        let rows = try database.withConnection { (connection) throws(SessionStoreError) in
            try connection.rows(
                """
                SELECT id, session_id, kind, summary, record, undone, created_at, undone_at, state, problem, turn
                FROM operations WHERE ? OR undone = 0 ORDER BY id DESC LIMIT ?
                """,
                [.bool(includeUndone), .integer(Int64(limit))]
            ) { (row) throws(SessionStoreError) -> OperationLogEntry in
                var entry = OperationLogEntry(
                    id: Int64(row.int(0)), session: row.optionalText(1), kind: row.text(2), summary: row.text(3),
                    record: try Self.decodeJSON(OperationRecord.self, from: row.text(4), what: "operation \(row.int(0))"),
                    undone: row.bool(5), createdAt: row.date(6), undoneAt: row.optionalDate(7))
                entry.state = OperationState(rawValue: row.text(8)) ?? .done
                entry.problem = row.optionalText(9)
                entry.turn = row.optionalInt(10)
                return entry
            }
        }
        return rows
    }

    /// The most recent operation not yet undone: what `mg undo` reverts next.
    public func lastUndoableOperation() throws(SessionStoreError) -> OperationLogEntry? {
        try operations(includeUndone: false, limit: 1).first
    }

    // MARK: Interrupted sessions

    /// Sessions still `running` or `interrupted`. A `running` session whose pid is not alive
    /// is reported (and, with `persist`, stored) as `interrupted`.
    public func unfinishedSessions(
        persist: Bool = false, isAlive: (Int32) -> Bool = SessionStore.processIsAlive
    ) throws(SessionStoreError) -> [UnfinishedSession] {
        var result = try database.read { (connection) throws(SessionStoreError) -> [UnfinishedSession] in
            let sessions = try connection.rows(
                "SELECT \(Self.sessionColumns) FROM sessions WHERE status IN ('running', 'interrupted') "
                    + "ORDER BY started_at DESC, id DESC", [], Self.sessionRecord)
            var unfinished: [UnfinishedSession] = []
            for session in sessions {
                let last = try connection.first(
                    "SELECT n, task FROM turns WHERE session_id = ? ORDER BY n DESC LIMIT 1", [.text(session.id)]
                ) { ($0.int(0), $0.text(1)) }
                let turn = last?.0
                let agents = try turn.map { (number) throws(SessionStoreError) in
                    try connection.rows(
                        "SELECT \(Self.agentColumns) FROM agents WHERE session_id = ? AND turn = ? ORDER BY agent_id",
                        [.text(session.id), .integer(Int64(number))], Self.agentRecord)
                } ?? []
                unfinished.append(UnfinishedSession(session: session, turn: turn, turnTask: last?.1, agents: agents))
            }
            return unfinished
        }
        for index in result.indices where result[index].session.status == .running {
            let pid = result[index].session.pid
            if pid.map(isAlive) != true {
                result[index].session.status = .interrupted
                if persist {
                    try write("after-session-interrupted") { (connection) throws(SessionStoreError) in
                        try connection.execute(
                            "UPDATE sessions SET status = 'interrupted' WHERE id = ? AND status = 'running'",
                            [.text(result[index].session.id)])
                        try connection.execute(
                            "UPDATE turns SET status = 'interrupted' WHERE session_id = ? AND status = 'running'",
                            [.text(result[index].session.id)])
                    }
                }
            }
        }
        return result
    }

    /// Whether a process with `pid` exists (signal 0; EPERM still means it exists).
    public static func processIsAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
