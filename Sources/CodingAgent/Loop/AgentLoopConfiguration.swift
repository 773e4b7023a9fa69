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
    /// Identical turns in a row before a corrective message (default 2); one more identical turn
    /// ends the loop (`AgentLoopOutcome.repeatedFailure` / `.repeatedCall`).
    public var repeatedFailureWarning: Int
    /// Times in a row the conversation may be shrunk after a context-window overflow before the
    /// loop gives up with the provider's error (default 4).
    public var maxCompactions: Int
    /// How tool calls travel: the provider's channel, the reply's text, or native until the model
    /// shows it cannot (default `auto`).
    public var toolMode: ToolMode
    /// In `auto` mode, turns in a row without a call that could be read before switching to text.
    public var textModeAfterUnparsedTurns: Int
    /// Whether code blocks in a reply change files (aider's edit formats); default `none`.
    public var editFormat: EditFormat
    /// The terminal tool a reply of code blocks is submitted through (`new_answer`), if any.
    public var answerSubmission: AnswerSubmission?
    /// The model's context window in tokens (config `context_window`); `nil` asks the server
    /// (llama.cpp `/props`), and without either nothing is budgeted before sending.
    public var contextWindow: Int?
    /// The prompt-cache key for this agent (OpenAI `prompt_cache_key`; it also switches on
    /// Anthropic breakpoints and llama.cpp slots); `nil` sends no cache hints.
    public var cacheKey: String?
    /// The llama.cpp slot this agent prefers (its index among the session's agents), taken
    /// modulo the server's slots so each agent keeps its own KV cache.
    public var cacheSlot: Int
    /// Names of tools to leave out of the next request, asked before each one (the orchestrator
    /// hides `vote` and `view_answer` while there is no answer: small models call them anyway).
    /// A hidden tool still runs if called, with its usual result.
    public var hiddenTools: (@Sendable () async -> Set<String>)?

    /// Creates a configuration.
    public init(
        model: String, systemPrompt: String? = nil, settings: GenerationSettings = GenerationSettings(),
        limits: AgentLimits = AgentLimits(), maxNoToolCallCorrections: Int = 3, maxModelErrorRetries: Int = 3,
        acceptsBareJSONToolCalls: Bool = true, repeatedFailureWarning: Int = 2, maxCompactions: Int = 4,
        toolMode: ToolMode = .auto, textModeAfterUnparsedTurns: Int = 2, editFormat: EditFormat = .none,
        answerSubmission: AnswerSubmission? = nil, contextWindow: Int? = nil, cacheKey: String? = nil, cacheSlot: Int = 0,
        hiddenTools: (@Sendable () async -> Set<String>)? = nil
    ) {
        self.hiddenTools = hiddenTools
        self.model = model
        self.systemPrompt = systemPrompt
        self.settings = settings
        self.limits = limits
        self.maxNoToolCallCorrections = maxNoToolCallCorrections
        self.maxModelErrorRetries = maxModelErrorRetries
        self.acceptsBareJSONToolCalls = acceptsBareJSONToolCalls
        self.repeatedFailureWarning = repeatedFailureWarning
        self.maxCompactions = maxCompactions
        self.toolMode = toolMode
        self.textModeAfterUnparsedTurns = textModeAfterUnparsedTurns
        self.editFormat = editFormat
        self.answerSubmission = answerSubmission
        self.contextWindow = contextWindow
        self.cacheKey = cacheKey
        self.cacheSlot = cacheSlot
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
