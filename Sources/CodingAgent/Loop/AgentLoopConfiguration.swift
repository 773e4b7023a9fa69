/// Limits that end a loop before the model finishes.
public struct AgentLimits: Sendable {
    /// Model calls allowed (corrective retries count too).
    public var maxSteps: Int
    /// The loop stops when this instant passes, even in the middle of a streamed turn.
    public var deadline: ContinuousClock.Instant?
    /// Spend allowed in USD, measured by the loop's cost meter; checked before each model call.
    public var costCeilingUSD: Double?

    /// Creates limits; by default 50 steps, no deadline, no cost ceiling.
    public init(maxSteps: Int = 50, deadline: ContinuousClock.Instant? = nil, costCeilingUSD: Double? = nil) {
        self.maxSteps = maxSteps
        self.deadline = deadline
        self.costCeilingUSD = costCeilingUSD
    }
}

/// How one agent loop talks to its model.
public struct AgentLoopConfiguration: Sendable {
    /// The model name sent in each request.
    public var model: String
    /// The system prompt, sent first in every request (not part of the returned conversation).
    public var systemPrompt: String?
    /// Sampling settings.
    public var settings: GenerationSettings
    /// Step, time and cost limits.
    public var limits: AgentLimits
    /// Corrective messages sent when a turn has no tool call, before giving up (default 3).
    public var maxNoToolCallCorrections: Int
    /// Retries after `BackendError.modelError` (e.g. a local server's HTTP 500 on an invented tool).
    public var maxModelErrorRetries: Int
    /// Accept tool calls written as bare JSON in the text (local models do this).
    public var acceptsBareJSONToolCalls: Bool
    /// Identical failing turns in a row before a corrective message (default 3); twice as many
    /// end the loop with `AgentLoopOutcome.repeatedFailure`.
    public var repeatedFailureWarning: Int
    /// Times in a row the conversation may be shrunk after a context-window overflow before the
    /// loop gives up with the provider's error (default 4).
    public var maxCompactions: Int

    /// Creates a configuration.
    public init(
        model: String, systemPrompt: String? = nil, settings: GenerationSettings = GenerationSettings(),
        limits: AgentLimits = AgentLimits(), maxNoToolCallCorrections: Int = 3, maxModelErrorRetries: Int = 3,
        acceptsBareJSONToolCalls: Bool = true, repeatedFailureWarning: Int = 3, maxCompactions: Int = 4
    ) {
        self.model = model
        self.systemPrompt = systemPrompt
        self.settings = settings
        self.limits = limits
        self.maxNoToolCallCorrections = maxNoToolCallCorrections
        self.maxModelErrorRetries = maxModelErrorRetries
        self.acceptsBareJSONToolCalls = acceptsBareJSONToolCalls
        self.repeatedFailureWarning = repeatedFailureWarning
        self.maxCompactions = maxCompactions
    }
}

/// Prices one model call: the cost in USD of the tokens it used.
public typealias TurnPricer = @Sendable (TokenUsage) -> Double

/// What the loop tells its checkpoint hook after each turn's tools have run.
public struct CheckpointState: Sendable {
    /// Model calls made so far.
    public var step: Int
    /// The conversation so far (without the system prompt); every tool call has its result.
    public var messages: [Message]
    /// Tokens used so far.
    public var usage: TokenUsage
    /// Cost so far in USD (0 without a cost meter).
    public var costUSD: Double
}

/// The checkpoint hook's answer.
public enum CheckpointDecision: Sendable, Hashable {
    /// Keep going.
    case proceed
    /// End the loop with `AgentLoopOutcome.stopped`.
    case stop(reason: String)
    /// Replace the conversation with `messages` and continue (e.g. other agents posted answers).
    case restart(messages: [Message])
}

/// Called after every turn; the orchestrator uses it to stop or restart agents.
public typealias CheckpointHook = @Sendable (CheckpointState) async -> CheckpointDecision
