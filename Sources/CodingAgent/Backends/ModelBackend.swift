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

    public init(
        model: String, messages: [Message], tools: [ToolDefinition] = [],
        settings: GenerationSettings = GenerationSettings()
    ) {
        self.model = model
        self.messages = messages
        self.tools = tools
        self.settings = settings
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
}
