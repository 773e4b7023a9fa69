/// Token counts reported by a provider for one call.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
    }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: lhs.inputTokens + rhs.inputTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens,
            cachedInputTokens: lhs.cachedInputTokens + rhs.cachedInputTokens)
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
