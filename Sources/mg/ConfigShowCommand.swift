import Foundation
import ArgumentParser
import CodingAgent
import Voting

/// `mg config show [FILE]`: the configuration a session here would run with, defaults included.
struct ConfigShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the resolved configuration: agents, test command, merge, gate, protected paths, limits.",
        discussion: """
            Everything a session in this repository would use, with mg's defaults filled in and \
            the test command detected as `mg fix` would. API keys are masked.

            Examples:
              mg config show
              mg config show team.yaml --json
            """)

    @Argument(help: "The config file (default: the lookup order of `mg config check`).")
    var file: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try? Startup.repository().workingDirectory
            let configuration = try ConfigurationLoader.load(
                ConfigurationRequest(
                    explicitFile: file, repositoryRoot: root, workingDirectory: Startup.workingDirectory,
                    environment: Startup.environment, agentCount: nil),
                requireAgents: false)
            for warning in configuration.warnings { console.warning(warning.description) }
            let effective = try EffectiveSettings.resolve(
                configuration, repositoryRoot: root, environment: Startup.environment)
            console.result("Configuration: \(configuration.source)")
            if configuration.agents.isEmpty {
                console.result(
                    "  no agents: `mg fix` needs a provider key (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY) "
                        + "or agents in .massgen/config.yaml (`mg init` writes a commented template)")
            }
            for agent in configuration.agents {
                let url = (try? agent.backend.resolvedBaseURL(for: agent.backendType, environment: Startup.environment)) ?? "(none)"
                console.result("  \(agent.id): \(agent.backendType.rawValue) \(agent.backend.model) at \(url)")
            }
            for line in effective.lines { console.result(line) }
            let settings = effective.settings
            console.emit([
                "source": configuration.source.description,
                "agents": configuration.agents.map { ["id": $0.id, "type": $0.backendType.rawValue, "model": $0.backend.model] },
                "test_command": effective.testCommand.command ?? NSNull(), "test_command_source": effective.testCommand.source,
                "merge": effective.mergeMode, "voting_policy": settings.votingPolicy.rawValue,
                "gate_commands": settings.gateCommands, "allow_test_changes": settings.allowTestChanges,
                "test_paths": settings.testPaths, "protected_paths": effective.protectedPatterns,
                "protected_test_files": effective.testFiles,
            ])
        }
    }
}
