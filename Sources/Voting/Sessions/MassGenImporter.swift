import Foundation
import GitWorkspace

/// Imports a MassGen (Python) `.massgen/` as read-only history: the library half of `mg migrate`.
///
/// MassGen's multi-turn CLI writes `sessions/session_<YYYYMMDD_HHMMSS>/turn_<N>/` with
/// `answer.txt` (the final answer), `metadata.json` (`turn`, `timestamp` — local ISO time
/// without zone — `winning_agent`, `task`, `session_id`, and in later versions `models` and
/// `winning_model`) and `workspace/` (the winner's files), plus `SESSION_SUMMARY.txt` (blocks
/// of `TURN N` / `Timestamp:` / `Winning Agent:` / `Task:`) per session. Each run also leaves
/// `massgen_logs/log_<timestamp>/` (per-turn `turn_N/` folders, `status.json` with
/// `meta.question`, `agent_outputs/final_presentation_<agent>.txt`).
///
/// Sessions become mg sessions `massgen-<folder>` with status `imported`, each turn with its
/// task, winner and answer (and a user + assistant conversation pair); log folders become
/// sessions `massgen-<log folder>`. Nothing is moved or deleted, and texts are stored as
/// written (MassGen paths are not mg worktree paths). Every imported folder is keyed by its
/// path relative to `.massgen/`, so a second run imports only what appeared since.
public struct MassGenImporter: Sendable {
    /// What an import did.
    public struct Report: Sendable, Hashable, Codable {
        /// Sessions created (from `sessions/` and `massgen_logs/`).
        public var sessions: [String] = []
        /// Turns added, as `session#n`.
        public var turns: [String] = []
        /// Legacy folders already imported earlier, left alone.
        public var alreadyImported: Int = 0
        /// Problems that did not stop the import (unreadable metadata, …).
        public var warnings: [String] = []
        /// Folders that could not be imported, with why (a re-run tries them again).
        public var failures: [Failure] = []
    }

    /// A legacy folder that could not be imported.
    public struct Failure: Sendable, Hashable, Codable {
        /// The folder, relative to `.massgen/`.
        public var path: String
        /// What went wrong.
        public var reason: String
    }

    /// The `.massgen/` folder being imported.
    public let massgenRoot: String
    /// The repository it belongs to.
    public let repositoryRoot: String
    let store: SessionStore

    /// An importer of `layout`'s `.massgen/` into `store`.
    public init(layout: ProjectLayout, store: SessionStore) {
        self.massgenRoot = layout.root
        self.repositoryRoot = layout.repositoryRoot
        self.store = store
    }

    /// Imports every MassGen session and log folder not imported before. Each folder is one
    /// transaction: one that fails is reported with its path and left for the next run; the
    /// others are imported all the same.
    public func importAll() -> Report {
        var report = Report()
        let fm = FileManager.default
        let sessionsRoot = massgenRoot + "/sessions"
        for name in ((try? fm.contentsOfDirectory(atPath: sessionsRoot)) ?? []).sorted() where name.hasPrefix("session_") {
            let turns = LegacyTurn.load(sessionFolder: sessionsRoot + "/" + name, relative: "sessions/" + name, warnings: &report.warnings)
            guard !turns.isEmpty else {
                report.warnings.append("sessions/\(name) has no turn_N folders and no SESSION_SUMMARY.txt turns; skipped.")
                continue
            }
            importSession(
                id: "massgen-" + name, legacyPath: "sessions/" + name, fallbackDate: Self.date(fromFolderName: name),
                turns: turns, report: &report)
        }
        let logsRoot = massgenRoot + "/massgen_logs"
        for name in ((try? fm.contentsOfDirectory(atPath: logsRoot)) ?? []).sorted() where name.hasPrefix("log_") {
            let turns = LegacyTurn.load(logFolder: logsRoot + "/" + name, relative: "massgen_logs/" + name)
            importSession(
                id: "massgen-" + name, legacyPath: "massgen_logs/" + name, fallbackDate: Self.date(fromFolderName: name),
                turns: turns, report: &report)
        }
        return report
    }

    /// One legacy session (and its new turns) in one transaction; a failure is reported.
    private func importSession(
        id: String, legacyPath: String, fallbackDate: Date?, turns: [LegacyTurn], report: inout Report
    ) {
        do throws(SessionStoreError) {
            try importSessionTransaction(
                id: id, legacyPath: legacyPath, fallbackDate: fallbackDate, turns: turns, report: &report)
        } catch {
            report.failures.append(Failure(path: legacyPath, reason: error.description))
        }
    }

    private func importSessionTransaction(
        id: String, legacyPath: String, fallbackDate: Date?, turns: [LegacyTurn], report: inout Report
    ) throws(SessionStoreError) {
        let started = turns.compactMap(\.date).min() ?? fallbackDate ?? Date(timeIntervalSince1970: 0)
        let ended = turns.compactMap(\.date).max() ?? started
        let now = Date().timeIntervalSince1970
        let (created, added, skipped) = try store.database.write {
            (connection) throws(SessionStoreError) -> (Bool, [Int], Int) in
            let known = Set(
                try connection.rows(
                    "SELECT legacy_path FROM legacy_imports WHERE legacy_path = ? OR legacy_path LIKE ? OR legacy_path LIKE ?",
                    [.text(legacyPath), .text(legacyPath + "/%"), .text(legacyPath + "#%")]) { $0.text(0) })
            var created = false
            if !known.contains(legacyPath) {
                try connection.execute(
                    """
                    INSERT INTO sessions (id, repository, started_at, ended_at, status, task, winner, legacy_path)
                    VALUES (?,?,?,?,'imported',?,?,?)
                    """,
                    [
                        .text(id), .text(repositoryRoot), .real(started.timeIntervalSince1970),
                        .real(ended.timeIntervalSince1970), .text(turns.first?.task ?? ""),
                        .optional(turns.last?.winner), .text(legacyPath),
                    ])
                try connection.execute(
                    "INSERT INTO legacy_imports (legacy_path, kind, session_id, imported_at) VALUES (?, 'session', ?, ?)",
                    [.text(legacyPath), .text(id), .real(now)])
                created = true
            }
            var added: [Int] = []
            var skipped = known.contains(legacyPath) ? 1 : 0
            for turn in turns {
                if known.contains(turn.legacyPath) {
                    skipped += 1
                    continue
                }
                let date = (turn.date ?? started).timeIntervalSince1970
                try connection.execute(
                    """
                    INSERT INTO turns (session_id, n, task, winner, status, answer, started_at, ended_at, legacy_path)
                    VALUES (?,?,?,?,'imported',?,?,?,?)
                    """,
                    [
                        .text(id), .integer(Int64(turn.number)), .text(turn.task), .optional(turn.winner),
                        .optional(turn.answer), .real(date), .real(date), .text(turn.legacyPath),
                    ])
                for (agent, model) in turn.models.sorted(by: { $0.key < $1.key }) {
                    try connection.execute(
                        "INSERT INTO agents (session_id, turn, agent_id, anonymous_id, model) VALUES (?,?,?,?,?)",
                        [.text(id), .integer(Int64(turn.number)), .text(agent), .text(agent), .text(model)])
                }
                for (role, text) in [("user", turn.task), ("assistant", turn.answer ?? "")] where !text.isEmpty {
                    try connection.execute(
                        "INSERT INTO conversation (session_id, turn, role, text, created_at) VALUES (?,?,?,?,?)",
                        [.text(id), .integer(Int64(turn.number)), .text(role), .text(text), .real(date)])
                }
                try connection.execute(
                    "INSERT INTO legacy_imports (legacy_path, kind, session_id, imported_at) VALUES (?, 'turn', ?, ?)",
                    [.text(turn.legacyPath), .text(id), .real(now)])
                added.append(turn.number)
            }
            if !created && !added.isEmpty {
                try connection.execute(
                    "UPDATE sessions SET ended_at = max(coalesce(ended_at, 0), ?), winner = coalesce(?, winner) WHERE id = ?",
                    [.real(ended.timeIntervalSince1970), .optional(turns.last?.winner), .text(id)])
            }
            return (created, added, skipped)
        }
        if created { report.sessions.append(id) }
        report.turns += added.map { "\(id)#\($0)" }
        report.alreadyImported += skipped
    }

    /// `session_20250928_143022` / `log_20250928_143022_123456` → that local time.
    static func date(fromFolderName name: String) -> Date? {
        let parts = name.split(separator: "_")
        guard parts.count >= 3, parts[1].count == 8, parts[2].count == 6 else { return nil }
        return parseLocal(String(parts[1] + parts[2]), format: "yyyyMMddHHmmss")
    }

    /// Python's `datetime.now().isoformat()` (local time, optional fraction, no zone).
    static func date(fromISO text: String) -> Date? {
        if let zoned = ISO8601DateFormatter().date(from: text) { return zoned }
        return parseLocal(String(text.prefix(19)), format: "yyyy-MM-dd'T'HH:mm:ss")
    }

    private static func parseLocal(_ text: String, format: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone.current
        formatter.dateFormat = format
        return formatter.date(from: text)
    }
}
