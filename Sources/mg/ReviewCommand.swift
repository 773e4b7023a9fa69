import ArgumentParser
import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// `mg review [RANGE]`: the configured agents review a change and vote approve / request changes.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Let the agents review a change; the majority verdict is the exit status.",
        discussion: """
            Each agent reads the change (its diff, and the files in a read-only worktree at the \
            change), sees the tests mg ran there, may run checks, and gives a verdict — approve or \
            request_changes — with findings (file:line, severity, text). Findings are merged across \
            agents. Exit 0 approved, 1 changes requested (or no verdict), 69 a backend was \
            unavailable and its vote could have decided. The review is recorded as a session \
            (`mg report` shows it).

            Without RANGE: the staged changes; inside a pre-push hook, the pushed range (read from \
            the hook's standard input).

            Examples:
              mg review                       the staged changes
              mg review main..HEAD --strict   every agent must approve
              mg review HEAD~1 --json         for CI
              mg hook install pre-push -- review
            """)

    @Argument(help: "A..B, or A for A..HEAD (default: the staged changes, or the pushed range in a pre-push hook).")
    var range: String?

    @Flag(help: "Review the staged changes (the default outside hooks).")
    var staged = false

    @Flag(help: "Require every agent to approve.")
    var strict = false

    @Option(help: "The config file (default: .massgen/config.yaml, then $XDG_CONFIG_HOME/mg/config.yaml).")
    var config: String?

    @Option(help: "Number of agents (replicates or trims the configured ones).")
    var agents: Int?

    @Option(help: "The test command run at the change (default: the configured or detected one).")
    var test: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try Startup.repository().workingDirectory
            let request: ReviewTarget.Request
            if let range {
                request = .range(range)
            } else if !staged, Startup.environment["MG_HOOK"] == "pre-push" {
                request = .prePush(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
            } else {
                request = .staged
            }
            let setup = try TurnSetup.load(
                ConfigurationRequest(
                    explicitFile: config, repositoryRoot: root, workingDirectory: Startup.workingDirectory,
                    environment: Startup.environment, agentCount: agents),
                overrides: SessionOverrides(testCommand: test), environment: Startup.environment)
            for warning in setup.warnings { console.warning(warning) }
            var settings = ReviewSession.Settings()
            settings.strict = strict
            settings.testCommand = setup.settings.testCommand
            let target = try ReviewTarget.resolve(request, repositoryRoot: root)
            console.info("Reviewing \(target.label) with \(setup.agents.map(\.id).joined(separator: ", "))…")
            let store = try SessionStore.openForCLI(repositoryRoot: root)
            let outcome = try await ReviewSession(repositoryRoot: root, store: store).run(
                target, agents: setup.agents, settings: settings)
            if console.json {
                try SessionStore.printJSON(outcome)
            }
            console.result(outcome.rendered())
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}
