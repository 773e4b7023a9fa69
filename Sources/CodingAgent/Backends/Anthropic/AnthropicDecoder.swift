import Foundation

/// Decodes an Anthropic Messages SSE stream: `message_start` (input usage), `content_block_start`
/// / `_delta` (`text_delta`, `input_json_delta`, `thinking_delta`) / `_stop`, `message_delta`
/// (stop reason, output usage), `message_stop` (terminal), `ping`, and in-stream `error` events.
public struct AnthropicDecoder: StreamDecoder {
    let provider: String
    var state = StreamState()
    var usage = TokenUsage()

    /// Creates a decoder that names `provider` in errors.
    public init(provider: String) {
        self.provider = provider
    }

    /// Decodes one event; the type comes from the JSON `type` field, else the SSE `event:` line.
    public mutating func decode(_ event: SSEEvent) throws -> [StreamChunk] {
        let json = try decodeEventJSON(event, provider: provider)
        let type = json["type"]?.stringValue ?? event.event ?? ""
        switch type {
        case "message_start":
            if let start = json["message"]?["usage"] { absorbUsage(start) }
            return []
        case "content_block_start":
            guard let block = json["content_block"], block["type"]?.stringValue == "tool_use" else {
                return []
            }
            let (index, start) = state.startCall(
                key: blockKey(json), id: block["id"]?.stringValue, name: block["name"]?.stringValue ?? "")
            // Input normally streams as deltas from `{}`; a server that sends it whole is honoured.
            if let input = block["input"], case .object(let fields) = input, !fields.isEmpty {
                return [start, .toolCallArgumentsDelta(index: index, fragment: input.jsonText)]
            }
            return [start]
        case "content_block_delta":
            let delta = json["delta"]
            switch delta?["type"]?.stringValue {
            case "text_delta":
                return (delta?["text"]?.stringValue).map { [.textDelta($0)] } ?? []
            case "thinking_delta":
                return (delta?["thinking"]?.stringValue).map { [.reasoningDelta($0)] } ?? []
            case "input_json_delta":
                guard let index = state.toolIndices[blockKey(json)],
                    let fragment = delta?["partial_json"]?.stringValue, !fragment.isEmpty
                else { return [] }
                return [.toolCallArgumentsDelta(index: index, fragment: fragment)]
            default:
                return []
            }
        case "content_block_stop":
            guard let index = state.toolIndices[blockKey(json)] else { return [] }
            return state.endCall(index)
        case "message_delta":
            if let reason = json["delta"]?["stop_reason"]?.stringValue {
                state.finishReason = Self.finishReason(reason)
            }
            if let final = json["usage"] { absorbUsage(final) }
            return []
        case "message_stop":
            state.usage = usage
            state.isComplete = true
            return state.finalChunks()
        case "error":
            throw Self.streamError(json["error"] ?? json, provider: provider)
        default:
            return []
        }
    }

    /// The stream ended: complete only after `message_stop`.
    public mutating func finish() throws -> [StreamChunk] {
        try state.endOfStream(provider: provider)
    }

    func blockKey(_ json: JSONValue) -> String {
        "block:" + String(json["index"]?.wireInt ?? 0)
    }

    /// Anthropic counts cache reads and writes apart from `input_tokens`; mg's `inputTokens` is the
    /// whole prompt, with the cache reads also reported as `cachedInputTokens` and the writes as
    /// `cacheWriteInputTokens` (billed at the cache-write price).
    mutating func absorbUsage(_ value: JSONValue) {
        let plain = value["input_tokens"]?.wireInt
        let read = value["cache_read_input_tokens"]?.wireInt
        let written = value["cache_creation_input_tokens"]?.wireInt
        if plain != nil || read != nil || written != nil {
            usage.inputTokens = (plain ?? 0) + (read ?? 0) + (written ?? 0)
            usage.cachedInputTokens = read ?? 0
            usage.cacheWriteInputTokens = written ?? 0
        }
        if let output = value["output_tokens"]?.wireInt { usage.outputTokens = output }
    }

    static func finishReason(_ reason: String) -> FinishReason {
        switch reason {
        case "end_turn", "stop_sequence": return .stop
        case "tool_use": return .toolCalls
        case "max_tokens": return .length
        case "refusal": return .contentFilter
        default: return .other(reason)
        }
    }

    /// Maps an in-stream `error` to the error the HTTP status would have produced.
    static func streamError(_ error: JSONValue, provider: String) -> BackendError {
        let message = error["message"]?.stringValue ?? error.jsonText
        switch error["type"]?.stringValue {
        case "overloaded_error": return .serverError(provider: provider, status: 529, message: message)
        case "api_error": return .serverError(provider: provider, status: 500, message: message)
        case "rate_limit_error": return .quotaExceeded(provider: provider, message: message)
        default: return .modelError(provider: provider, message: message)
        }
    }
}
