import Foundation
import GitWorkspace

/// What `mg status` shows.
public struct StatusReport: Sendable, Hashable, Codable {
    /// Running and interrupted sessions, newest first, with their worktrees and branches.
    public var sessions: [UnfinishedSession]
    /// Who holds the repository lock (`nil`: nobody).
    public var lockHolder: String?
    /// Operations that did not finish cleanly (rolled back only in part, or interrupted while
    /// no mg works here): `mg undo` repairs the newest.
    public var unfinishedOperations: [OperationLogEntry]
}

extension MGRepository {
    /// Running and interrupted sessions, the lock holder, and unfinished operations. Reads only.
    public func status() throws -> StatusReport {
        let holder = RepositoryLock.currentHolder(layout)
        // A `planned` or `undoing` entry is only unfinished once no mg holds the lock (else it
        // may be the one in progress right now).
        let operations = try store.unfinishedOperations().filter { $0.state == .rollbackFailed || holder == nil }
        return StatusReport(
            sessions: try store.unfinishedSessions(), lockHolder: holder?.detail, unfinishedOperations: operations)
    }
}
