import ArgumentParser
import Foundation
import Voting

@main
struct MG: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mg",
        abstract: "A git-native multi-agent coding assistant.",
        discussion: """
            Several agents work on a task in parallel, each in its own git worktree and branch \
            under .massgen/; they share answers, vote, and the winner is merged back safely. \
            Every agent's work stays on its branch for review.

            Examples:
              mg init                              create .massgen/ with a config template
              mg config check                      show the agents mg would use
              mg doctor                            check the sandbox, media tools and every backend
              mg branches                          list the per-agent branches of past sessions
              mg diff agent2 --against agent1      compare two agents' answers
              mg merge agent2                      land another agent's answer by hand
              mg hook install pre-push -- config check
              git mg branches                      the same commands through git

            Exit status: 0 done, 1 task failed, 2 merge refused, 64 usage, 65 bad config or \
            media, 69 backend unavailable or unauthorized, 70 internal error, 75 repository \
            locked by another mg. See docs/cli.md.
            """,
        version: "0.1.0",
        subcommands: [FixCommand.self, ContinueCommand.self, ChatCommand.self, SessionsCommand.self, LogCommand.self, StatsCommand.self,
            StatusCommand.self, UndoCommand.self, MigrateCommand.self, ReportCommand.self, ServeCommand.self, ReviewCommand.self,
            InitCommand.self, ConfigCommand.self, DoctorCommand.self, BranchesCommand.self, DiffCommand.self, MergeCommand.self,
            CleanCommand.self, HookCommand.self, CompletionsCommand.self, DemoCommand.self, MCPCommand.self,
        ])

    /// Reads git's exported variables before anything else can look at the environment.
    static func main() async {
        // A closed pipe (`mg fix … | head -1`) must not kill a session mid-way: writes to it fail
        // quietly instead, and the session finishes (or is interrupted cleanly) as usual.
        signal(SIGPIPE, SIG_IGN)
        _ = Startup.gitEnvironment
        await runCommandLine()
    }
}
