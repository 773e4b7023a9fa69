import Foundation
import GitWorkspace

/// Removes agent worktrees without losing anything, as one transaction: the removal is logged
/// as a `.worktreesRemoved` operation before any folder goes (so `mg undo` re-creates them),
/// each worktree's leftovers are committed to its branch, and a folder is removed only once its
/// branch holds the work (`WorktreeManager.remove`). A worktree locked by a live process is
/// kept; one locked by a process that is gone (an interrupted session) is unlocked first.
/// Used by `mg clean`, `mg clean --session` and `mg continue --resume`.
public struct WorktreeCleaner: Sendable {
    /// The repository root.
    public let root: String
    /// Its session store (the journal).
    public let store: SessionStore

    /// What one cleaning did.
    public struct Report: Sendable, Hashable {
        /// Worktrees removed (their branches keep the work), with their leftover commits.
        public var removed: [AgentWorktree] = []
        /// Leftovers committed before removal, by worktree path.
        public var leftovers: [String: ObjectID] = [:]
        /// Worktrees kept, with the reason, by path.
        public var kept: [String: String] = [:]
    }

    /// A cleaner for the repository at `root`.
    public init(root: String, store: SessionStore) {
        self.root = root
        self.store = store
    }

    /// Removes `candidates` (journalled as one operation of `session`) while `lock` is held.
    public func remove(
        _ candidates: [AgentWorktree], session: String?, summary: String, lock: RepositoryLock
    ) throws -> Report {
        var report = Report()
        guard !candidates.isEmpty else { return report }
        let planned = OperationRecord(
            kind: .worktreesRemoved, repositoryRoot: root, removedWorktrees: candidates,
            summary: "\(summary): removing \(candidates.count) worktree(s)")
        let root = self.root
        _ = try RepositoryTransaction.run(.held(lock), journal: store.journal(for: planned, session: session)) {
            () throws(GitWorkspaceError) -> OperationRecord in
            let manager = WorktreeManager(repositoryRoot: root)
            let repository = try Repository.open(at: root)
            for worktree in candidates {
                do throws(GitWorkspaceError) {
                    let info = try repository.linkedWorktree(named: worktree.adminName)
                    if let reason = info.lockReason {
                        if let pid = Self.pid(inLockReason: reason), SessionStore.processIsAlive(pid) {
                            report.kept[worktree.path] = "locked by the running process \(pid)"
                            continue
                        }
                        try repository.unlockWorktree(worktree.adminName)
                    }
                    let removal = try manager.remove(worktree)
                    report.removed.append(worktree)
                    report.leftovers[worktree.path] = removal.leftoverCommit
                } catch {
                    report.kept[worktree.path] = error.description
                }
                FaultPoint.hit("after-worktree-removed")
            }
            var done = planned
            done.removedWorktrees = report.removed
            done.summary = "\(summary): removed \(report.removed.count) worktree(s)"
            return done
        }
        return report
    }

    /// Removes the worktrees an interrupted session's last turn left behind (it must not be
    /// running), taking the repository lock for it.
    public func removeWorktrees(of session: UnfinishedSession, layout: ProjectLayout) throws -> Report {
        if session.session.status == .running, let pid = session.session.pid, SessionStore.processIsAlive(pid) {
            throw SessionManagerError.stillRunning(session: session.session.id, pid: pid)
        }
        let lock = try RepositoryLock(layout: layout, purpose: "mg clean --session \(session.session.id)")
        return try withExtendedLifetime(lock) { () throws -> Report in
            let paths = Set(session.agents.compactMap(\.worktreePath))
            let present = try WorktreeManager(repositoryRoot: root).worktrees().filter { paths.contains($0.path) }
            return try remove(
                present, session: session.session.id, summary: "interrupted session \(session.session.id)", lock: lock)
        }
    }

    /// The pid in a worktree lock reason written by `WorktreeManager.lockReason` (`… (pid N) …`).
    static func pid(inLockReason reason: String) -> Int32? {
        guard let range = reason.range(of: "(pid ") else { return nil }
        return Int32(reason[range.upperBound...].prefix { $0.isNumber })
    }
}
