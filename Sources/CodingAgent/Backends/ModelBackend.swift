/// A tool the model may call: name, description and JSON Schema of its arguments.
public struct ToolDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// JSON Schema (an object schema) of the arguments.
    public var parameters: JSONValue

    public init(name: String, description: String, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// Sampling settings shared by every provider; `nil` means the provider's default.
public struct GenerationSettings: Sendable, Hashable, Codable {
    public var temperature: Double?
    public var maxTokens: Int?
    public var topP: Double?
    /// Provider-specific keys merged into the request body as given (MassGen's `extra_body`).
    public var extraBody: [String: JSONValue]

    public init(
        temperature: Double? = nil, maxTokens: Int? = nil, topP: Double? = nil,
        extraBody: [String: JSONValue] = [:]
    ) {
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.topP = topP
        self.extraBody = extraBody
    }
}

/// One model call: the conversation so far, the tools on offer and the sampling settings.
public struct ModelRequest: Sendable, Hashable {
    public var model: String
    public var messages: [Message]
    public var tools: [ToolDefinition]
    public var settings: GenerationSettings
    /// Asks the provider to reuse its prompt cache for this conversation (`nil`: no hint).
    public var cache: PromptCacheHint?

    public init(
        model: String, messages: [Message], tools: [ToolDefinition] = [],
        settings: GenerationSettings = GenerationSettings(), cache: PromptCacheHint? = nil
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.settings = settings
        self.cache = cache
    }
}

/// How one agent's requests reuse the provider's prompt cache. Each provider takes what it
/// understands: OpenAI `prompt_cache_key` (`key`), llama.cpp `cache_prompt` and `id_slot`
/// (`slot`, one server slot per agent so each conversation keeps its own KV cache), Anthropic
/// `cache_control` breakpoints on the stable prefix and the newest message. Requests keep the
/// stable part first (system prompt, tools, task, repository) so a growing conversation hits.
public struct PromptCacheHint: Sendable, Hashable {
    /// Stable for one agent of one session, e.g. `20261125-153012-ab12/agent1`.
    public var key: String
    /// The llama.cpp server slot for this agent; `nil` lets the server choose.
    public var slot: Int?

    public init(key: String, slot: Int? = nil) {
        self.key = key
        self.slot = slot
    }
}

/// What a model server says about itself (llama.cpp `GET /props`).
public struct ServerProperties: Sendable, Hashable {
    /// Tokens of context each request may use (llama.cpp: `n_ctx` of one slot).
    public var contextWindow: Int?
    /// Parallel slots the server keeps (llama.cpp `total_slots`); each keeps its own prompt cache.
    public var slots: Int?

    public init(contextWindow: Int? = nil, slots: Int? = nil) {
        self.contextWindow = contextWindow
        self.slots = slots
    }
}

/// A language-model provider that streams one turn as `StreamChunk`s.
///
/// Implementations: OpenAI Chat Completions (and compatible servers), OpenAI Responses,
/// Anthropic Messages, Gemini, and the file-driven `scripted` backend.
public protocol ModelBackend: Sendable {
    /// A short name for logs and errors, e.g. `openai-chat(gpt-4o-mini)`.
    var displayName: String { get }
    /// Streams the model's answer to `request`. The stream ends after `.finish`, or throws a `BackendError`.
    func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error>
    /// What the server says about itself (context window, slots); `nil` when it cannot tell.
    func serverProperties() async -> ServerProperties?
}

extension ModelBackend {
    /// Hosted providers and the scripted backend publish nothing.
    public func serverProperties() async -> ServerProperties? { nil }
}
