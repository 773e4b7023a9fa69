import Foundation
import GitWorkspace

/// Removes what an interrupted session left behind without losing anything: each of its last
/// turn's worktrees is unlocked (its process is gone), its leftovers are committed to its branch
/// and the folder is removed only once the branch holds the work (`WorktreeManager.remove`).
/// The removal is logged as a `.worktreesRemoved` operation *before* it happens, so `mg undo`
/// can re-create the worktrees. Used by `mg clean --session` and `mg continue --resume`.
public struct InterruptedSessionCleaner: Sendable {
    /// The session manager (repository and store).
    public let manager: CodingSessionManager

    /// What one cleaning did.
    public struct Report: Sendable, Hashable {
        /// Worktrees removed (their branches keep the work).
        public var removed: [AgentWorktree] = []
        /// Worktrees kept, with the reason.
        public var kept: [String: String] = [:]
        /// The operation log id (`nil` when nothing was removed).
        public var operationID: Int64?
    }

    /// A cleaner working through `manager`.
    public init(manager: CodingSessionManager) {
        self.manager = manager
    }

    /// Removes the worktrees of `session`'s last turn (it must not be running). Takes the
    /// repository lock while it works.
    public func removeWorktrees(of session: UnfinishedSession) async throws -> Report {
        if session.session.status == .running, let pid = session.session.pid, SessionStore.processIsAlive(pid)
        {
            throw SessionManagerError.stillRunning(session: session.session.id, pid: pid)
        }
        let root = manager.repositoryRoot
        let layout = manager.layout
        let store = manager.store
        let paths = Set(session.agents.compactMap(\.worktreePath))
        return try await BlockingWork.run { () throws -> Report in
            let lock = try RepositoryLock(layout: layout, purpose: "mg clean --session \(session.session.id)")
            defer { withExtendedLifetime(lock) {} }
            let worktreeManager = WorktreeManager(repositoryRoot: root)
            let repository = try Repository.open(at: root)
            let present = try worktreeManager.worktrees().filter { paths.contains($0.path) }
            var report = Report()
            guard !present.isEmpty else { return report }
            // Logged first: a crash during removal still leaves an operation `mg undo` can replay.
            var record = OperationRecord(
                kind: .worktreesRemoved, repositoryRoot: root, removedWorktrees: present,
                summary: "removed \(present.count) worktree(s) of interrupted session \(session.session.id)")
            let id = try store.recordOperation(record, session: session.session.id)
            report.operationID = id
            for worktree in present {
                do {
                    let info = try repository.linkedWorktree(named: worktree.adminName)
                    if let reason = info.lockReason {
                        if let pid = Self.pid(inLockReason: reason), SessionStore.processIsAlive(pid) {
                            report.kept[worktree.path] = "locked by the running process \(pid)"
                            continue
                        }
                        try repository.unlockWorktree(worktree.adminName)
                    }
                    _ = try worktreeManager.remove(worktree)
                    report.removed.append(worktree)
                } catch {
                    report.kept[worktree.path] = "\(error)"
                }
            }
            record.removedWorktrees = report.removed
            record.summary =
                "removed \(report.removed.count) worktree(s) of interrupted session \(session.session.id)"
            try store.updateOperation(id, record: record)
            return report
        }
    }

    /// The pid in a worktree lock reason written by `WorktreeManager.lockReason` (`… (pid N) …`).
    static func pid(inLockReason reason: String) -> Int32? {
        guard let range = reason.range(of: "(pid ") else { return nil }
        return Int32(reason[range.upperBound...].prefix { $0.isNumber })
    }
}
