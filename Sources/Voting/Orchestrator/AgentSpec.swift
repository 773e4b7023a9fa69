import CodingAgent

/// One configured agent: who it is and how it talks to its model.
public struct AgentSpec: Sendable {
    /// Configured id (`id:` in the config); names its worktree and branch. Letters, digits, `-`, `_`, `.`.
    public var id: String
    /// The model provider.
    public var backend: any ModelBackend
    /// Model name sent in each request.
    public var model: String
    /// Extra instructions from the config (`system_message`), added after mg's coding system prompt.
    public var systemMessage: String?
    /// Sampling settings.
    public var settings: GenerationSettings
    /// Adds up tokens and cost (shared by all agents of a session, or per agent); without it
    /// cost is reported as 0 and the cost ceiling cannot trigger.
    public var costMeter: CostMeter?
    /// A per-agent price overriding the meter's table (`.free` for local models).
    public var price: ModelPrice?
    /// Tool names removed from what the agent is offered (MassGen's `exclude_tools`).
    public var excludedTools: Set<String>
    /// This agent's time limit, overriding the session's `agentTimeout` (config `timeout_seconds`
    /// of the agent): a slow local model can get longer than the hosted ones.
    public var timeout: Duration?
    /// Set for an agent that is a program (CLI coding agent or framework adapter): it runs in
    /// its worktree instead of mg's agent loop.
    public var external: ExternalAgentSpec?
    /// MCP servers whose tools this (API) agent is offered next to mg's.
    public var mcpServers: [MCPServerSpec] = []
    /// How its tool calls travel (config `tool_mode`).
    public var toolMode: ToolMode
    /// Whether code blocks in its replies change files (config `edit_format`).
    public var editFormat: EditFormat
    /// Its model's context window in tokens (config `context_window`); `nil` asks the server.
    public var contextWindow: Int?
    /// MassGen `custom_tools`: Python functions offered as `custom_tool__<name>`.
    public var customTools: [CustomToolSpec] = []
    /// MassGen's command-line keys: `run_command`'s policy, sandbox, network and limits.
    public var commandLine: CommandLineSettings?

    /// Creates a spec.
    public init(
        id: String, backend: any ModelBackend, model: String, systemMessage: String? = nil,
        settings: GenerationSettings = GenerationSettings(), costMeter: CostMeter? = nil,
        price: ModelPrice? = nil,
        excludedTools: Set<String> = [], timeout: Duration? = nil, toolMode: ToolMode = .auto,
        editFormat: EditFormat = .none, contextWindow: Int? = nil
    ) {
        self.toolMode = toolMode
        self.editFormat = editFormat
        self.contextWindow = contextWindow
        self.id = id
        self.backend = backend
        self.model = model
        self.systemMessage = systemMessage
        self.settings = settings
        self.costMeter = costMeter
        self.price = price
        self.excludedTools = excludedTools
        self.timeout = timeout
    }

    /// An agent that runs `external` in its worktree.
    public static func external(
        id: String, _ external: ExternalAgentSpec, systemMessage: String? = nil, costMeter: CostMeter? = nil,
        timeout: Duration? = nil
    ) -> AgentSpec {
        var spec = AgentSpec(
            id: id, backend: ExternalAgentBackend(spec: external), model: external.model ?? external.kind.rawValue,
            systemMessage: systemMessage, costMeter: costMeter, timeout: timeout)
        spec.external = external
        return spec
    }

    /// The loop's per-call pricer: records each call in the meter and returns its cost.
    var pricer: TurnPricer? {
        guard let meter = costMeter else { return nil }
        let model = self.model
        let price = self.price
        return { usage in meter.record(model: model, usage: usage, price: price).costUSD ?? 0 }
    }
}
