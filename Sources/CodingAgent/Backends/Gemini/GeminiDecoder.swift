import Foundation

/// Decodes a Gemini SSE stream. Each event is a whole `GenerateContentResponse` chunk: text parts
/// (`thought: true` marks reasoning), `functionCall` parts that arrive complete (ids synthesized
/// when absent), `usageMetadata`, and a `finishReason` on the last candidate chunk, which is the
/// terminal signal (there is no `[DONE]`).
public struct GeminiDecoder: StreamDecoder {
    let provider: String
    var state = StreamState()

    /// Creates a decoder that names `provider` in errors.
    public init(provider: String) {
        self.provider = provider
    }

    /// Decodes one chunk.
    public mutating func decode(_ event: SSEEvent) throws -> [StreamChunk] {
        let json = try decodeEventJSON(event, provider: provider)
        if let error = json["error"] {
            throw Self.streamError(error, provider: provider)
        }
        if let usage = json["usageMetadata"], case .object = usage {
            // Thinking tokens are billed as output.
            state.usage = TokenUsage(
                inputTokens: usage["promptTokenCount"]?.wireInt ?? 0,
                outputTokens: (usage["candidatesTokenCount"]?.wireInt ?? 0)
                    + (usage["thoughtsTokenCount"]?.wireInt ?? 0),
                cachedInputTokens: usage["cachedContentTokenCount"]?.wireInt ?? 0)
        }
        var chunks: [StreamChunk] = []
        guard let candidate = json["candidates"]?.wireArray?.first else {
            if let blocked = json["promptFeedback"]?["blockReason"]?.stringValue {
                state.finishReason = .contentFilter
                state.isComplete = true
                chunks.append(.error("the prompt was blocked (\(blocked))"))
            }
            return chunks
        }
        for part in candidate["content"]?["parts"]?.wireArray ?? [] {
            if let call = part["functionCall"] {
                let name = call["name"]?.stringValue ?? ""
                let id = call["id"]?.stringValue ?? "gemini_call_\(state.callCount)_\(name)"
                let (index, start) = state.startCall(key: "call:\(state.callCount)", id: id, name: name)
                chunks.append(start)
                chunks.append(
                    .toolCallArgumentsDelta(index: index, fragment: (call["args"] ?? .object([:])).jsonText))
                chunks += state.endCall(index)
            } else if let text = part["text"]?.stringValue, !text.isEmpty {
                chunks.append(part["thought"]?.wireBool == true ? .reasoningDelta(text) : .textDelta(text))
            }
        }
        if let reason = candidate["finishReason"]?.stringValue, reason != "FINISH_REASON_UNSPECIFIED" {
            state.finishReason = Self.finishReason(reason, sawCalls: state.callCount > 0)
            state.isComplete = true
        }
        return chunks
    }

    /// The stream ended: complete only when a candidate carried a `finishReason`. Usage may come
    /// on that same chunk, so the closing chunks are emitted here, at the end of the bytes.
    public mutating func finish() throws -> [StreamChunk] {
        try state.endOfStream(provider: provider)
    }

    static func finishReason(_ reason: String, sawCalls: Bool) -> FinishReason {
        switch reason {
        case "STOP": return sawCalls ? .toolCalls : .stop
        case "MAX_TOKENS": return .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY":
            return .contentFilter
        default: return .other(reason)
        }
    }

    static func streamError(_ error: JSONValue, provider: String) -> BackendError {
        let message = error["message"]?.stringValue ?? error.jsonText
        let code = error["code"]?.wireInt ?? 0
        switch code {
        case 429: return .quotaExceeded(provider: provider, message: message)
        case 500...599: return .serverError(provider: provider, status: code, message: message)
        default: return .modelError(provider: provider, message: message)
        }
    }
}
