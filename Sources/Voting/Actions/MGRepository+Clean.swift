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

/// What `pruneBranches` did.
public struct BranchPruneReport: Sendable, Hashable {
    /// Branches deleted, with why each could go.
    public var deleted: [(branch: String, reason: String)] = []
    /// Branches kept because they hold unmerged work (or a worktree).
    public var kept: Int = 0

    public static func == (a: Self, b: Self) -> Bool {
        a.kept == b.kept && a.deleted.map(\.branch) == b.deleted.map(\.branch)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kept)
        hasher.combine(deleted.map(\.branch))
    }
}

extension MGRepository {
    /// Deletes the agent branches that hold nothing unmerged — no answer at all, a tip already
    /// in HEAD's history, or the winner whose turn landed (and was not undone) — as one
    /// journalled transaction `mg undo` reverts. Branches with unmerged answers, or checked out
    /// in a worktree, stay.
    public func pruneBranches() async throws -> BranchPruneReport {
        let root = self.root
        let layout = self.layout
        let store = self.store
        return try await BlockingWork.run { () throws -> BranchPruneReport in
            let lock = try RepositoryLock(layout: layout, purpose: "mg clean --branches")
            return try withExtendedLifetime(lock) { () throws -> BranchPruneReport in
                let repository = try Repository.open(at: root)
                let inWorktrees = Set(try WorktreeManager(repositoryRoot: root).worktrees().map(\.branch))
                let pruner = BranchPruner(repositoryRoot: root)
                let undoneTurns = Set(
                    try store.operations().filter { $0.undone && $0.kind.hasPrefix("merge:") }
                        .compactMap { entry in entry.session.flatMap { session in entry.turn.map { "\(session)#\($0)" } } })
                var report = BranchPruneReport()
                var doomed: [AgentBranch] = []
                for branch in try AgentBranches(repository: repository).list() {
                    var reason = inWorktrees.contains(branch.ref) ? nil : try pruner.prunableReason(branch)
                    if reason == nil, !inWorktrees.contains(branch.ref), let run = try store.locate(run: branch.session),
                        let turn = try store.turns(of: run.session).first(where: { $0.number == run.turn }),
                        turn.winner == branch.agent, turn.mergeHow?.hasPrefix("merge:") == true,
                        !undoneTurns.contains("\(run.session)#\(run.turn)")
                    {
                        reason = "its answer landed (\(turn.mergeHow ?? "merge"))"
                    }
                    guard let reason else {
                        report.kept += 1
                        continue
                    }
                    doomed.append(branch)
                    report.deleted.append((branch.shortName, reason))
                }
                guard !doomed.isEmpty else { return report }
                let record = pruner.plan(doomed, summary: "mg clean --branches: deleted \(doomed.count) branch(es)")
                _ = try RepositoryTransaction.run(.held(lock), journal: store.journal(for: record, session: nil)) {
                    () throws(GitWorkspaceError) -> OperationRecord in
                    try pruner.apply(record)
                    return record
                }
                return report
            }
        }
    }
}
