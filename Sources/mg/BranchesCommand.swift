import ArgumentParser
import GitWorkspace

/// `mg branches [SESSION]`: the per-agent branches and worktrees.
struct BranchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branches",
        abstract: "List mg's per-agent branches with their tips, answers and worktrees.",
        discussion: """
            Examples:
              mg branches
              mg branches 20250101-120000 --json
              git log --all --graph --oneline      (the same branches, drawn by git)
            """)

    @Argument(help: "Only this session.")
    var session: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let location = try Startup.repository()
            let repository = try Repository.open(at: location.workingDirectory)
            let reader = AgentBranches(repository: repository)
            let branches = try reader.list(session: session)
            let worktrees = try WorktreeManager(repositoryRoot: location.workingDirectory).worktrees(session: session)
            if branches.isEmpty {
                console.result("No mg branches\(session.map { " for session \($0)" } ?? "") yet.")
            }
            var rows: [[String: Any]] = []
            var currentSession: String?
            for branch in branches {
                if branch.session != currentSession {
                    currentSession = branch.session
                    console.result(console.paint("session \(branch.session)", "1"))
                }
                let answers = try reader.iterations(of: branch)
                let worktree = worktrees.first { $0.branch == branch.ref }
                let subject = answers.last?.subject ?? "(no answer yet)"
                let place = worktree.map { "  worktree \($0.path)" } ?? ""
                console.result(
                    "  \(console.paint(branch.shortName, "32"))  \(branch.tip.short)  \(answers.count) answer(s)  \(subject)\(place)")
                rows.append([
                    "session": branch.session, "agent": branch.agent, "branch": branch.shortName, "tip": branch.tip.hex,
                    "answers": answers.count, "subject": subject, "worktree": worktree?.path ?? "",
                ])
            }
            console.emit(["branches": rows])
        }
    }
}
