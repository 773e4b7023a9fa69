import Foundation
import GitWorkspace

extension SessionStore {
    /// Fills in an iteration's diff stats once its diff against the base is known (the iteration
    /// row is written first, when the answer is accepted).
    public func updateIterationStats(
        session: String, turn: Int, agent: String, number: Int, filesChanged: Int, insertions: Int,
        deletions: Int
    ) throws(SessionStoreError) {
        try write("after-iteration-stats") { (connection) throws(SessionStoreError) in
            try connection.execute(
                """
                UPDATE iterations SET files_changed = ?, insertions = ?, deletions = ?
                WHERE session_id = ? AND turn = ? AND agent_id = ? AND n = ?
                """,
                [
                    .integer(Int64(filesChanged)), .integer(Int64(insertions)), .integer(Int64(deletions)),
                    .text(session), .integer(Int64(turn)), .text(agent), .integer(Int64(number)),
                ])
        }
    }

    /// Notes that a turn's winner is about to be merged (so a crash mid-merge shows in `mg status`
    /// and `mg log` as `merging:<mode>`); `finishTurn` later replaces the note.
    public func noteMergeStarting(
        session: String, turn: Int, winner: String, mode: String
    ) throws(SessionStoreError) {
        try write("after-merge-note") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE turns SET winner = ?, merge_how = ? WHERE session_id = ? AND n = ?",
                [.text(winner), .text("merging:" + mode), .text(session), .integer(Int64(turn))])
            guard connection.changes == 1 else { throw .notFound(what: "turn \(turn) of session \(session)") }
        }
    }

    /// Notes on the turn that its merge landed (`merge_how` goes from `merging:<mode>` to the
    /// operation's kind), so a crash before the turn is finished still shows what happened.
    public func noteMergeLanded(session: String, turn: Int, how: String) throws(SessionStoreError) {
        try write("after-merge-landed") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE turns SET merge_how = ? WHERE session_id = ? AND n = ?",
                [.text(how), .text(session), .integer(Int64(turn))])
            guard connection.changes == 1 else { throw .notFound(what: "turn \(turn) of session \(session)") }
        }
    }

    /// The agents recorded for one turn, by agent id.
    public func agents(of session: String, turn: Int) throws(SessionStoreError) -> [StoredAgent] {
        try database.read { (connection) throws(SessionStoreError) -> [StoredAgent] in
            try connection.rows(
                "SELECT \(Self.agentColumns) FROM agents WHERE session_id = ? AND turn = ? ORDER BY agent_id",
                [.text(session), .integer(Int64(turn))], Self.agentRecord)
        }
    }

    /// Marks an interrupted session `discarded` (`mg clean --session`): its running turns become
    /// `interrupted`, and it no longer shows in `unfinishedSessions`.
    public func discardSession(_ id: String) throws(SessionStoreError) {
        try write("after-session-discard") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE turns SET status = 'interrupted', ended_at = coalesce(ended_at, ?) WHERE session_id = ? AND status = 'running'",
                [.real(Date().timeIntervalSince1970), .text(id)])
            try connection.execute(
                "UPDATE sessions SET status = 'discarded', ended_at = coalesce(ended_at, ?), pid = NULL WHERE id = ?",
                [.real(Date().timeIntervalSince1970), .text(id)])
            guard connection.changes == 1 else { throw .notFound(what: "session \(id)") }
        }
    }

    /// The stored session a run id (the `<run>` of `massgen/<run>/<agent>`) belongs to: the run
    /// itself for a first turn, `<session>` for `<session>-t<N>`; `nil` when the store has neither.
    public func sessionID(forRun run: String) throws(SessionStoreError) -> String? {
        try locate(run: run)?.session
    }

    /// The stored session and turn a run id names; `nil` when the store has neither reading.
    public func locate(run: String) throws(SessionStoreError) -> RunID? {
        if try session(run) != nil { return RunID(session: run, turn: 1) }
        for reading in RunID.readings(of: run) where reading.turn > 1 {
            if try session(reading.session) != nil { return reading }
        }
        return nil
    }
}
