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
            """)

    @Argument(help: "What to fix or build, in plain words.")
    var task: String

    @OptionGroup var options: SessionOptions

    @OptionGroup(title: "Attachments") var media: MediaOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let location = try Startup.repository()
            let configuration = try ConfigurationLoader.load(
                ConfigurationRequest(
                    explicitFile: options.config, repositoryRoot: location.workingDirectory,
                    workingDirectory: Startup.workingDirectory, environment: Startup.environment, agentCount: options.agents))
            for warning in configuration.warnings { console.warning(warning.description) }
            let root = location.workingDirectory
            // A bad attachment stops here (exit 65), before any session, worktree or branch exists.
            let attachments = try await AttachmentIntake.collect(
                paths: media.paths, uploads: configuration.uploadFiles, limits: configuration.mediaLimits,
                repositoryRoot: root, console: console)
            let launcher = SessionLauncher(environment: Startup.environment)
            var specs = try launcher.agentSpecs(
                for: configuration, meter: CostMeter(prices: launcher.prices),
                mediaCacheDirectory: MediaLibrary.cacheDirectory(layout: ProjectLayout(repositoryRoot: root)),
                overrides: options.overrides)
            // One meter per agent, so the live view can show each agent's tokens and cost.
            var meters: [String: CostMeter] = [:]
            for index in specs.indices {
                let meter = CostMeter(prices: launcher.prices)
                specs[index].costMeter = meter
                meters[specs[index].id] = meter
            }
            let settings = launcher.settings(
                for: configuration,
                overrides: options.overrides)
            let task = self.task
            let agentSpecs = specs
            // Everything is recorded in .massgen/sessions/ (mg sessions, mg log, mg undo, mg continue).
            let manager = CodingSessionManager(
                repositoryRoot: root, store: try SessionStore.openForCLI(repositoryRoot: root))
            let display = InterruptibleSession(console: console, agentIDs: specs.map(\.id), meters: meters)
            let outcome = try await display.run { events in
                try await manager.start(
                    task: task, attachments: attachments, agents: agentSpecs, settings: settings, events: events
                ).outcome
            }
            SessionReport(outcome: outcome, usage: SessionReport.usage(of: agentSpecs)).print(to: console)
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }
}
