import Foundation
import GitWorkspace

/// What `clean` did.
public struct CleanReport: Sendable, Hashable {
    /// Worktrees removed (their branches keep the work).
    public var removed: [AgentWorktree] = []
    /// Leftovers committed before removal, by worktree path.
    public var leftovers: [String: ObjectID] = [:]
    /// Worktrees kept, with the reason, by path.
    public var kept: [String: String] = [:]
    /// Stale worktree records pruned (folders deleted by hand).
    public var pruned: [String] = []
    /// The interrupted session given up (`clean --session` of one).
    public var discardedSession: String?
}

extension MGRepository {
    /// Removes finished agent worktrees (all, or `session`'s and its later turns'), as one
    /// journalled transaction under the repository lock; with `session` naming an interrupted
    /// session, its worktrees are unlocked and removed too and the session is discarded. Stale
    /// worktree records are pruned. Branches are never touched.
    public func clean(session: String?) async throws -> CleanReport {
        let root = self.root
        let layout = self.layout
        let store = self.store
        return try await BlockingWork.run { () throws -> CleanReport in
            let interrupted = try session.flatMap { id in
                try store.unfinishedSessions(persist: true).first { $0.session.id == id }
            }
            if let interrupted, interrupted.session.status == .running, let pid = interrupted.session.pid,
                SessionStore.processIsAlive(pid)
            {
                throw SessionManagerError.stillRunning(session: interrupted.session.id, pid: pid)
            }
            let lock = try RepositoryLock(layout: layout, purpose: "mg clean")
            return try withExtendedLifetime(lock) { () throws -> CleanReport in
                let manager = WorktreeManager(repositoryRoot: root)
                let candidates = try manager.worktrees().filter { worktree in
                    guard let session else { return true }
                    return worktree.session == session || worktree.session.hasPrefix(session + "-t")
                }
                let cleaner = WorktreeCleaner(root: root, store: store)
                let removal = try cleaner.remove(
                    candidates, session: try session.flatMap(store.sessionID(forRun:)),
                    summary: session.map { "mg clean --session \($0)" } ?? "mg clean", lock: lock)
                var report = CleanReport(removed: removal.removed, leftovers: removal.leftovers, kept: removal.kept)
                report.pruned = try manager.pruneStale()
                if let interrupted, removal.kept.isEmpty {
                    try store.discardSession(interrupted.session.id)
                    report.discardedSession = interrupted.session.id
                }
                return report
            }
        }
    }
}
