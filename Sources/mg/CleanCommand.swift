import ArgumentParser
import GitWorkspace

/// `mg clean`: remove finished worktrees, keep every branch.
struct CleanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove finished agent worktrees (their branches, holding all work, stay).",
        discussion: """
            Anything uncommitted in a worktree is committed to its branch first, so no work is \
            lost; worktrees locked by a running mg are skipped. Stale worktree records (folders \
            deleted by hand) are pruned. Delete branches yourself with `git branch -D` once \
            reviewed.

            Examples:
              mg clean
              mg clean --session 20250101-120000
            """)

    @Option(help: "Only this session's worktrees.")
    var session: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let location = try Startup.repository()
            let lock = try RepositoryLock(layout: ProjectLayout(repositoryRoot: location.workingDirectory), purpose: "mg clean")
            defer { withExtendedLifetime(lock) {} }
            let manager = WorktreeManager(repositoryRoot: location.workingDirectory)
            var removed: [String] = []
            var kept: [String] = []
            for worktree in try manager.worktrees(session: session) {
                do {
                    let removal = try manager.remove(worktree)
                    let saved = removal.leftoverCommit.map { " (leftovers committed as \($0.short))" } ?? ""
                    console.info("removed \(worktree.path); work kept on \(AgentWorktree.branchName(session: worktree.session, agent: worktree.agent))\(saved)")
                    removed.append(worktree.path)
                } catch {
                    console.warning("kept \(worktree.path): \(error)")
                    kept.append(worktree.path)
                }
            }
            let pruned = try manager.pruneStale()
            console.result("Removed \(removed.count) worktree(s), kept \(kept.count), pruned \(pruned.count) stale record(s).")
            console.emit(["event": "cleaned", "removed": removed, "kept": kept, "pruned": pruned])
        }
    }
}
