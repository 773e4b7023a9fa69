import ArgumentParser
import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// `mg fix "TASK"`: run a coding session and merge the winner back.
struct FixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Run several agents on a task in parallel worktrees, vote, and merge the best change.",
        discussion: """
            Each agent works in .massgen/workspaces/<session>/<agent> on branch \
            massgen/<session>/<agent>, starting from your exact working state (uncommitted and \
            untracked files included). Every answer is a commit; agents see each other's answers, \
            improve on them or vote; tests run in each candidate worktree. The winner lands with \
            --merge (default: squash when your tree was clean, apply when it was not). If your \
            branch or a touched file moved meanwhile, mg refuses (exit 2) and says how to merge by hand.

            Examples:
              mg fix "the login test fails on empty passwords"
              mg fix "speed up parse()" --agents 4 --test "swift test" --merge none
              mg fix "fix the flaky test" --config team.yaml --json > events.jsonl
              mg fix "the header overlaps the menu" --image screenshot.png --video repro.mp4
              mg fix "fix add" --web --report report.html
            """)

    @Argument(help: "What to fix or build, in plain words (- reads it from stdin).")
    var task: String?

    @OptionGroup var taskInput: TaskInput

    @OptionGroup var options: SessionOptions

    @OptionGroup(title: "Attachments") var media: MediaOptions

    @OptionGroup(title: "Web view and report") var webOptions: WebOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            // A missing or empty task stops here (64), before anything is loaded or created.
            let (task, mediaPaths) = try media.withTextDocuments(try taskInput.resolve(self.task, command: "fix"))
            let root = try Startup.repository().workingDirectory
            let setup = try ContinueCommand.turnSetup(
                root: root, config: options.config, agents: options.agents, overrides: options.overrides)
            for warning in setup.warnings { console.warning(warning) }
            // A bad attachment stops here (exit 65), before any session, worktree or branch exists.
            let attachments = try await AttachmentIntake.collect(
                paths: mediaPaths, uploads: setup.uploadFiles, limits: setup.mediaLimits, repositoryRoot: root,
                console: console)
            var settings = setup.settings
            let server = try await webOptions.start(settings: &settings, repositoryRoot: root, console: console)
            let agentSpecs = setup.agents
            let sessionSettings = settings
            // Everything is recorded in .massgen/sessions/ (mg sessions, mg log, mg undo, mg continue).
            let manager = CodingSessionManager(
                repositoryRoot: root, store: try SessionStore.openForCLI(repositoryRoot: root))
            let display = InterruptibleSession(console: console, agentIDs: agentSpecs.map(\.id), meters: setup.meters)
            let outcome = try await display.run { events in
                try await manager.start(
                    task: task, attachments: attachments, agents: agentSpecs, settings: sessionSettings, events: events
                ).outcome
            }
            SessionReport(outcome: outcome, agents: agentSpecs).print(to: console)
            try await webOptions.finish(server, session: outcome.session, repositoryRoot: root, console: console)
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}
