import CodingAgent
import Foundation
import GitWorkspace

/// What the command line may override of the configuration for one session.
public struct SessionOverrides: Sendable, Hashable {
    /// `--test CMD`.
    public var testCommand: String?
    /// `--merge MODE`.
    public var mergeMode: MergeMode?
    /// `--timeout S`.
    public var timeoutSeconds: Double?
    /// `--agent-timeout S`: every agent's limit, over the configured ones.
    public var agentTimeoutSeconds: Double?
    /// `--max-cost USD`.
    public var maxCostUSD: Double?
    /// `--allow-test-changes`: the task may change tests (over `orchestrator.allow_test_changes`).
    public var allowTestChanges: Bool?
    /// A fixed session id (tests, `mg continue`); generated when `nil`.
    public var sessionID: String?

    /// Creates overrides; `nil` keeps the configuration's value.
    public init(
        testCommand: String? = nil, mergeMode: MergeMode? = nil, timeoutSeconds: Double? = nil,
        agentTimeoutSeconds: Double? = nil, maxCostUSD: Double? = nil, sessionID: String? = nil,
        allowTestChanges: Bool? = nil
    ) {
        self.allowTestChanges = allowTestChanges
        self.testCommand = testCommand
        self.mergeMode = mergeMode
        self.timeoutSeconds = timeoutSeconds
        self.agentTimeoutSeconds = agentTimeoutSeconds
        self.maxCostUSD = maxCostUSD
        self.sessionID = sessionID
    }
}

/// Turns a resolved configuration into the orchestrator's inputs: one `AgentSpec` per agent
/// (its backend built by `BackendFactory`, `scripted` agents replaying their `script:`) and the
/// `OrchestratorSettings` (configuration, then command-line overrides).
public struct SessionLauncher: Sendable {
    /// Where API keys and endpoint variables come from (never passed to agents' commands).
    public var environment: [String: String]
    /// The HTTP client for every backend.
    public var transport: any HTTPTransport
    /// Prices for the cost meter.
    public var prices: PriceTable

    /// Creates a launcher.
    public init(
        environment: [String: String], transport: (any HTTPTransport)? = nil, prices: PriceTable = .standard
    ) {
        self.environment = environment
        self.transport = transport ?? LibcurlTransport(environment: environment)
        self.prices = prices
    }

    /// The agents of `configuration`, sharing `meter` for tokens and cost. With
    /// `mediaCacheDirectory` (`MediaLibrary.cacheDirectory(layout:)`), each provider backend is
    /// wrapped by `BackendFactory.makeMediaBackend` so attachments reach it in a form it accepts.
    /// `--agent-timeout` in `overrides` replaces every agent's own `timeout_seconds`.
    public func agentSpecs(
        for configuration: ResolvedConfiguration, meter: CostMeter, mediaCacheDirectory: String? = nil,
        overrides: SessionOverrides = SessionOverrides()
    ) throws -> [AgentSpec] {
        let factory = BackendFactory(transport: transport, environment: environment)
        // A missing program stops the session here (exit 69), before any worktree exists.
        try ExternalAgentPreflight.check(configuration.agents, environment: environment)
        return try configuration.agents.map { agent in
            let timeout = (overrides.agentTimeoutSeconds ?? agent.timeoutSeconds).map(Self.duration)
            if let external = agent.external {
                var spec = AgentSpec.external(
                    id: agent.id, external, systemMessage: agent.systemMessage, costMeter: meter, timeout: timeout)
                spec.customTools = agent.customTools
                spec.commandLine = agent.commandLine
                return spec
            }
            let backend: any ModelBackend
            if agent.backendType.family == .scripted {
                guard let script = agent.scriptPath else { throw BackendConfigurationError.scriptedUnavailable }
                backend = try ScriptedBackend(contentsOf: script)
            } else if let mediaCacheDirectory {
                backend = try factory.makeMediaBackend(agent.backend, cacheDirectory: mediaCacheDirectory)
            } else {
                backend = try factory.makeBackend(agent.backend)
            }
            var allTools = Set(CodingTools.standard(runner: CommandRunner()).map(\.definition.name))
            let customNames = Set(agent.customTools.map(\.offeredName))
            var excluded = Set(agent.excludedTools)
            if let allowed = agent.allowedTools {
                // Custom tools are filtered only by a list that names one of them (as MCP tools are).
                if !customNames.isDisjoint(with: allowed) { allTools.formUnion(customNames) }
                excluded.formUnion(allTools.subtracting(allowed))
            }
            var spec = AgentSpec(
                id: agent.id, backend: backend, model: agent.backend.model, systemMessage: agent.systemMessage,
                settings: agent.backend.settings, costMeter: meter, price: factory.price(for: agent.backend, table: prices),
                excludedTools: excluded, timeout: timeout, toolMode: agent.backend.toolMode,
                editFormat: agent.backend.editFormat, contextWindow: agent.backend.contextWindow)
            spec.mcpServers = agent.mcpServers
            spec.customTools = agent.customTools.filter { !excluded.contains($0.offeredName) }
            spec.commandLine = agent.commandLine
            return spec
        }
    }

    private static func duration(_ seconds: Double) -> Duration { .milliseconds(Int64(seconds * 1000)) }

    /// The orchestrator settings: configuration first, then `overrides`. `repositoryRoot`
    /// places MassGen's `context_paths` in the repository (`ContextPathPlan`); a context path
    /// mg cannot use there is refused.
    public func settings(
        for configuration: ResolvedConfiguration, overrides: SessionOverrides, repositoryRoot: String? = nil
    ) throws(ConfigurationError) -> OrchestratorSettings {
        let coding = configuration.coding
        var settings = OrchestratorSettings()
        if let command = overrides.testCommand ?? coding.testCommand {
            settings.testCommand = command.isEmpty ? .none : .command(command)
        }
        settings.mergeMode = overrides.mergeMode ?? coding.mergeMode
        settings.maxNewAnswersPerAgent = coding.maxNewAnswersPerAgent
        if let sensitivity = coding.votingSensitivity { settings.votingSensitivity = sensitivity }
        if let seconds = overrides.timeoutSeconds ?? coding.timeoutSeconds {
            settings.orchestratorTimeout = Self.duration(seconds)
        }
        settings.agentTimeout = (overrides.agentTimeoutSeconds ?? coding.agentTimeoutSeconds).map(Self.duration)
        settings.costCeilingUSD = overrides.maxCostUSD ?? coding.maxCostUSD
        settings.sessionID = overrides.sessionID
        if let policy = coding.votingPolicy { settings.votingPolicy = policy }
        settings.gateCommands = coding.gateCommands
        settings.testPaths = coding.testPaths
        settings.allowTestChanges = overrides.allowTestChanges ?? coding.allowTestChanges ?? false
        settings.protectedPaths =
            repositoryRoot.map { configuration.protectedPaths(repositoryRoot: $0) } ?? coding.protectedPaths
        settings.ballotSeed = coding.ballotSeed
        if let novelty = coding.answerNovelty { settings.answerNovelty = novelty }
        settings.planningMode = coding.planningMode
        settings.skipCoordinationRounds = coding.skipCoordinationRounds ?? false
        if let repositoryRoot {
            let plan = try ContextPathPlan.plan(configuration.contextPaths, repositoryRoot: repositoryRoot)
            settings.contextPaths = plan
            settings.protectedPaths += plan.readOnlyInside
            // A read-only path over the whole repository: nothing lands in it, the winner stays on its branch.
            if plan.coversRepositoryReadOnly, settings.mergeMode == nil {
                settings.mergeMode = MergeMode.none
            }
        }
        return settings
    }
}
