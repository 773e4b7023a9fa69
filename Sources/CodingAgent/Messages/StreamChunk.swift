/// Token counts reported by a provider for one call.
///
/// `inputTokens` is the whole prompt; `cachedInputTokens` the part served from the provider's
/// prompt cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`, Gemini
/// `cachedContentTokenCount`, llama.cpp `cache_n`) and `cacheWriteInputTokens` the part written
/// to it (Anthropic `cache_creation_input_tokens`, billed above the input price). llama.cpp also
/// says how long it spent on the prompt (`promptMilliseconds`), which shows what the cache saved.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    /// Prompt tokens written to the provider's cache (Anthropic); part of `inputTokens`.
    public var cacheWriteInputTokens: Int
    /// Time the server spent processing the prompt, when it says (llama.cpp `timings.prompt_ms`).
    public var promptMilliseconds: Double?

    public init(
        inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int = 0, cacheWriteInputTokens: Int = 0,
        promptMilliseconds: Double? = nil
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteInputTokens = cacheWriteInputTokens
        self.promptMilliseconds = promptMilliseconds
    }

    private enum CodingKeys: String, CodingKey {
        case inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, promptMilliseconds
    }

    /// Reads records written before the cache fields existed (they default to 0 / absent).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputTokens = try container.decodeIfPresent(Int.self, forKey: .inputTokens) ?? 0
        outputTokens = try container.decodeIfPresent(Int.self, forKey: .outputTokens) ?? 0
        cachedInputTokens = try container.decodeIfPresent(Int.self, forKey: .cachedInputTokens) ?? 0
        cacheWriteInputTokens = try container.decodeIfPresent(Int.self, forKey: .cacheWriteInputTokens) ?? 0
        promptMilliseconds = try container.decodeIfPresent(Double.self, forKey: .promptMilliseconds)
    }

    /// The sum of two calls; prompt times add up when either side has one.
    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        let time: Double? =
            lhs.promptMilliseconds == nil && rhs.promptMilliseconds == nil
            ? nil : (lhs.promptMilliseconds ?? 0) + (rhs.promptMilliseconds ?? 0)
        return TokenUsage(
            inputTokens: lhs.inputTokens + rhs.inputTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens,
            cachedInputTokens: lhs.cachedInputTokens + rhs.cachedInputTokens,
            cacheWriteInputTokens: lhs.cacheWriteInputTokens + rhs.cacheWriteInputTokens,
            promptMilliseconds: time)
    }
}

/// Why the model stopped producing output.
public enum FinishReason: Sendable, Hashable, Codable {
    case stop
    case toolCalls
    case length
    case contentFilter
    case other(String)
}

/// One incremental piece of a streamed model turn, identical for every backend.
/// Backends translate their wire format into these; nothing above CodingAgent sees a wire format.
public enum StreamChunk: Sendable, Hashable {
    case textDelta(String)
    case reasoningDelta(String)
    /// A tool call begins; `index` identifies it among the parallel calls of this turn.
    case toolCallStart(index: Int, id: String, name: String)
    case toolCallArgumentsDelta(index: Int, fragment: String)
    case toolCallEnd(index: Int)
    case usage(TokenUsage)
    case finish(FinishReason)
    /// A recoverable problem the provider reported inside the stream.
    case error(String)
}
