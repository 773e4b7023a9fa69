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
            unlocked and removed the same way and it no longer shows in `mg status`. With \
            --branches, agent branches whose work is merged or that hold no answer are deleted \
            too (undoably); a branch with unmerged work is never deleted.

            Examples:
              mg clean
              mg clean --branches
              mg clean --session 20250101-120000
            """)

    @Option(help: "Only this session's worktrees (all its turns); discards it when interrupted.")
    var session: String?

    @Flag(help: "Also delete agent branches that hold nothing unmerged (no answer, or their answer landed); undoable.")
    var branches = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let report = try await Startup.mgRepository().clean(session: session)
            for worktree in report.removed {
                let saved = report.leftovers[worktree.path].map { " (leftovers committed as \($0.short))" } ?? ""
                let branch = AgentWorktree.branchName(session: worktree.session, agent: worktree.agent)
                console.info("removed \(worktree.path); work kept on \(branch)\(saved)")
            }
            for (path, reason) in report.kept.sorted(by: { $0.key < $1.key }) {
                console.warning("kept \(path): \(reason)")
            }
            if let discarded = report.discardedSession {
                console.info("session \(discarded) discarded; its branches keep all the work")
            }
            console.result(
                "Removed \(report.removed.count) worktree(s), kept \(report.kept.count), pruned \(report.pruned.count) stale record(s).")
            var object: [String: Any] = [
                "event": "cleaned", "removed": report.removed.map(\.path), "kept": report.kept.keys.sorted(),
                "pruned": report.pruned,
            ]
            if branches {
                let pruned = try await Startup.mgRepository().pruneBranches()
                for (branch, reason) in pruned.deleted { console.info("deleted \(branch): \(reason)") }
                let undo = pruned.deleted.isEmpty ? "" : " (`mg undo` restores the deleted ones)"
                console.result(
                    "Deleted \(pruned.deleted.count) branch(es)\(undo); kept \(pruned.kept) that hold unmerged work.")
                object["branches_deleted"] = pruned.deleted.map { ["branch": $0.0, "reason": $0.1] }
                object["branches_kept"] = pruned.kept
            }
            console.emit(object)
        }
    }
}
