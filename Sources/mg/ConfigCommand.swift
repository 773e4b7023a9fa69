import ArgumentParser
import CodingAgent
import Voting

/// `mg config …`: configuration tools.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect mg's configuration.",
        subcommands: [ConfigCheckCommand.self, ConfigShowCommand.self])
}

/// `mg config check [FILE]`: validate and show the resolved agents, keys masked.
struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a config and print the agents mg would run (API keys masked).",
        discussion: """
            Without FILE the lookup order is: .massgen/config.yaml, then \
            $XDG_CONFIG_HOME/mg/config.yaml, then agents chosen from OPENAI_API_KEY, \
            ANTHROPIC_API_KEY and GEMINI_API_KEY/GOOGLE_API_KEY. MassGen v0.0.26 configs load \
            unchanged; keys mg does not use are listed as warnings.

            Examples:
              mg config check
              mg config check massgen/configs/three_agents_default.yaml
              mg config check --agents 4 --json
              mg config check --ping
            """)

    @Argument(help: "The config file to check (default: the lookup order).")
    var file: String?

    @Option(help: "Replicate or trim the agents to N.")
    var agents: Int?

    @Flag(help: "Also send each backend one tiny request (as mg doctor does); exit 69 or 65 when one fails.")
    var ping = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try? Startup.repository().workingDirectory
            let request = ConfigurationRequest(
                explicitFile: file, repositoryRoot: root, workingDirectory: Startup.workingDirectory,
                environment: Startup.environment, agentCount: agents)
            let configuration = try ConfigurationLoader.load(request)
            for warning in configuration.warnings { console.warning(warning.description) }
            let environment = Startup.environment
            console.result("Configuration: \(configuration.source)")
            for agent in configuration.agents {
                if let external = agent.external {
                    let servers = external.mcpServers.map(\.name)
                    let mcp = servers.isEmpty ? "" : ", MCP servers \(servers.joined(separator: ", "))"
                    console.result("  \(agent.id): \(external.kind.rawValue) runs \(external.program)\(external.model.map { " with \($0)" } ?? "")\(mcp)")
                    continue
                }
                let key = maskedKey(agent, environment: environment)
                let url = (try? agent.backend.resolvedBaseURL(for: agent.backendType, environment: environment)) ?? "(none)"
                let limit = agent.timeoutSeconds.map { ", timeout \($0.formatted())s" } ?? ""
                let mcp = agent.mcpServers.isEmpty ? "" : ", MCP servers \(agent.mcpServers.map(\.name).joined(separator: ", "))"
                let custom =
                    agent.customTools.isEmpty
                    ? "" : ", custom tools \(agent.customTools.map(\.offeredName).joined(separator: ", "))"
                console.result(
                    "  \(agent.id): \(agent.backendType.rawValue) \(agent.backend.model) at \(url), key \(key)\(limit)\(mcp)\(custom)"
                )
            }
            let settings = describe(configuration.coding)
            if !settings.isEmpty { console.result("Settings: " + settings.joined(separator: ", ")) }
            var report = json(configuration, environment: environment)
            let failure =
                ping
                ? await DoctorCommand.ping(
                    configuration, environment: environment, timeout: 30, console: console, report: &report) : nil
            console.emit(report)
            if let failure { throw ExitCode(failure.rawValue) }
        }
    }

    private func maskedKey(_ agent: AgentConfiguration, environment: [String: String]) -> String {
        if agent.external != nil { return agent.external?.apiKey == nil ? "the program's own" : APIKeyMask.mask(agent.external?.apiKey) + " (config)" }
        switch agent.apiKeySource {
        case "config": return APIKeyMask.mask(agent.backend.apiKey) + " (config)"
        case "none needed": return "not needed"
        default:
            let value = environment[String(agent.apiKeySource.dropFirst())]
            return APIKeyMask.mask(value) + " (\(agent.apiKeySource))"
        }
    }

    private func describe(_ coding: CodingSettings) -> [String] {
        var parts: [String] = []
        if let value = coding.testCommand { parts.append("test_command \"\(value)\"") }
        if let value = coding.mergeMode { parts.append("merge \(value.rawValue)") }
        if let value = coding.maxNewAnswersPerAgent { parts.append("max_new_answers_per_agent \(value)") }
        if let value = coding.votingSensitivity { parts.append("voting_sensitivity \(value.rawValue)") }
        if let value = coding.maxCostUSD { parts.append("max_cost_usd \(value)") }
        if let value = coding.timeoutSeconds { parts.append("timeout \(Int(value))s") }
        if let value = coding.agentTimeoutSeconds { parts.append("agent timeout \(value.formatted())s") }
        return parts
    }

    private func json(_ configuration: ResolvedConfiguration, environment: [String: String]) -> [String: Any] {
        let agents: [[String: Any]] = configuration.agents.map { agent in
            var entry: [String: Any] = [
                "id": agent.id, "type": agent.backendType.rawValue, "model": agent.backend.model,
                "api_key": maskedKey(agent, environment: environment), "key_source": agent.apiKeySource,
            ]
            if let url = try? agent.backend.resolvedBaseURL(for: agent.backendType, environment: environment) {
                entry["base_url"] = url
            }
            if let temperature = agent.backend.settings.temperature { entry["temperature"] = temperature }
            if let seconds = agent.timeoutSeconds { entry["timeout_seconds"] = seconds }
            if let external = agent.external { entry["program"] = external.program }
            let servers = (agent.external?.mcpServers ?? agent.mcpServers).map(\.name)
            if !servers.isEmpty { entry["mcp_servers"] = servers }
            if !agent.customTools.isEmpty { entry["custom_tools"] = agent.customTools.map(\.offeredName) }
            return entry
        }
        return [
            "source": configuration.source.description, "agents": agents,
            "settings": describe(configuration.coding),
            "warnings": configuration.warnings.map {
                ["path": $0.path, "message": $0.description, "dropped": $0.kind == .unsupported]
                    as [String: Any]
            },
        ]
    }
}
