import ArgumentParser
import Foundation
import GitWorkspace
import Voting

/// `mg clean`: remove finished worktrees, keep every branch.
struct CleanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove finished agent worktrees (their branches, holding all work, stay).",
        discussion: """
            Anything uncommitted in a worktree is committed to its branch first, so no work is \
            lost; worktrees locked by a running mg are skipped. Stale worktree records (folders \
            deleted by hand) are pruned. The removal is logged, so `mg undo` re-creates the \
            worktrees. With --session, an interrupted session is discarded: its worktrees are \
            unlocked and removed the same way and it no longer shows in `mg status`. Delete \
            branches yourself with `git branch -D` once reviewed.

            Examples:
              mg clean
              mg clean --session 20250101-120000
            """)

    @Option(help: "Only this session's worktrees (all its turns); discards it when interrupted.")
    var session: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let location = try Startup.repository()
            let root = location.workingDirectory
            let store = try SessionStore.openForCLI(repositoryRoot: root)
            var removed: [String] = []
            var kept: [String] = []
            if let session,
                let unfinished = try store.unfinishedSessions(persist: true).first(where: { $0.session.id == session })
            {
                let manager = CodingSessionManager(repositoryRoot: root, store: store)
                let report = try await InterruptedSessionCleaner(manager: manager).removeWorktrees(of: unfinished)
                for worktree in report.removed {
                    console.info("removed \(worktree.path); work kept on \(worktree.branch)")
                    removed.append(worktree.path)
                }
                for (path, reason) in report.kept.sorted(by: { $0.key < $1.key }) {
                    console.warning("kept \(path): \(reason)")
                    kept.append(path)
                }
                if report.kept.isEmpty {
                    try store.discardSession(session)
                    console.info("session \(session) discarded; its branches keep all the work")
                }
            }
            let lock = try RepositoryLock(layout: ProjectLayout(repositoryRoot: root), purpose: "mg clean")
            defer { withExtendedLifetime(lock) {} }
            let manager = WorktreeManager(repositoryRoot: root)
            let candidates = try manager.worktrees().filter { worktree in
                guard let session else { return true }
                return worktree.session == session || worktree.session.hasPrefix(session + "-t")
            }
            var done: [AgentWorktree] = []
            var operation: Int64?
            var record = OperationRecord(
                kind: .worktreesRemoved, repositoryRoot: root, removedWorktrees: candidates,
                summary: "mg clean: removing \(candidates.count) worktree(s)")
            if !candidates.isEmpty {
                // Logged before anything is removed, completed after: `mg undo` re-creates them.
                operation = try store.recordOperation(record, session: try session.flatMap(store.sessionID(forRun:)))
            }
            for worktree in candidates {
                do {
                    let removal = try manager.remove(worktree)
                    let saved = removal.leftoverCommit.map { " (leftovers committed as \($0.short))" } ?? ""
                    console.info("removed \(worktree.path); work kept on \(AgentWorktree.branchName(session: worktree.session, agent: worktree.agent))\(saved)")
                    removed.append(worktree.path)
                    done.append(worktree)
                } catch {
                    console.warning("kept \(worktree.path): \(error)")
                    kept.append(worktree.path)
                }
            }
            if let operation {
                record.removedWorktrees = done
                record.summary = "mg clean: removed \(done.count) worktree(s)"
                try store.updateOperation(operation, record: record)
            }
            let pruned = try manager.pruneStale()
            console.result("Removed \(removed.count) worktree(s), kept \(kept.count), pruned \(pruned.count) stale record(s).")
            console.emit(["event": "cleaned", "removed": removed, "kept": kept, "pruned": pruned])
        }
    }
}
