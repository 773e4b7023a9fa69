import ArgumentParser
import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// `mg continue "TASK"`: the next turn of a session; `--resume`: re-run an interrupted one.
struct ContinueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "continue",
        abstract: "Run the next turn of a session, with its history; or resume an interrupted one.",
        discussion: """
            The agents start from the previous turn's merged result (your working state), or \
            from the previous winner's branch when it was not merged, and see the conversation \
            so far: earlier tasks, the winners' summaries and what was merged (paths inside \
            agent worktrees shown repository-relative).

            --resume picks up a session interrupted by Ctrl-C, a crash or kill -9: the \
            interrupted turn's worktrees are removed after committing their leftovers (undoable \
            with `mg undo`), and the same task runs again from the same base, each agent \
            starting with its earlier work as uncommitted changes.

            Examples:
              mg continue "now add a test for it"
              mg continue "use a dictionary instead" --session 20250101-120000-ab12
              mg continue --resume
              mg continue "the button is still clipped" --image after.png
            """)

    @Argument(help: "The next task (not with --resume, which repeats the interrupted one).")
    var task: String?

    @Option(help: "The session (default: the latest; with --resume: the latest interrupted).")
    var session: String?

    @Flag(help: "Resume an interrupted session instead of starting a new turn.")
    var resume = false

    @OptionGroup var taskInput: TaskInput

    @OptionGroup var options: SessionOptions

    @OptionGroup(title: "Attachments") var media: MediaOptions

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if resume && task != nil { throw ValidationError("--resume repeats the interrupted task; give no TASK.") }
        if resume && !media.paths.isEmpty {
            throw ValidationError("--resume repeats the interrupted turn with its attachments; attach nothing new.")
        }
        if resume && taskInput.taskFile != nil { throw ValidationError("--resume repeats the interrupted task; give no --task-file.") }
    }

    /// The configuration request and overrides shared with `mg chat`.
    static func turnSetup(
        root: String, config: String?, agents: Int?, overrides: SessionOverrides
    ) throws -> TurnSetup {
        try TurnSetup.load(
            ConfigurationRequest(
                explicitFile: config, repositoryRoot: root, workingDirectory: Startup.workingDirectory,
                environment: Startup.environment, agentCount: agents),
            overrides: overrides, environment: Startup.environment)
    }

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let (task, mediaPaths) =
                resume ? ("", []) : try media.withTextDocuments(try taskInput.resolve(self.task, command: "continue"))
            let root = try Startup.repository().workingDirectory
            let setup = try Self.turnSetup(
                root: root, config: options.config, agents: options.agents,
                overrides: options.overrides)
            for warning in setup.warnings { console.warning(warning) }
            // upload_files went with the session's first turn and are re-sent from its history.
            let attachments = try await AttachmentIntake.collect(
                paths: mediaPaths, uploads: [], limits: setup.mediaLimits, repositoryRoot: root, console: console)
            let manager = CodingSessionManager(repositoryRoot: root, store: try SessionStore.openForCLI(repositoryRoot: root))
            let display = InterruptibleSession(console: console, agentIDs: setup.agents.map(\.id), meters: setup.meters)
            let (resume, session) = (self.resume, self.session)
            let outcome = try await display.run { events in
                if resume {
                    return try await manager.resume(session, agents: setup.agents, settings: setup.settings, events: events).outcome
                }
                return try await manager.continueSession(
                    session, task: task, attachments: attachments, agents: setup.agents, settings: setup.settings,
                    events: events
                ).outcome
            }
            SessionReport(outcome: outcome, agents: setup.agents).print(to: console)
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}
