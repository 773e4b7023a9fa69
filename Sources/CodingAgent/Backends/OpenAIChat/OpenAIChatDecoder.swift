import Foundation

/// Decodes a Chat Completions SSE stream: `choices[0].delta` text, reasoning and `tool_calls`
/// deltas (keyed by `index`), the final `usage` chunk (with llama.cpp's `timings`: prompt-cache
/// hits and prompt processing time), and the `[DONE]` sentinel.
public struct OpenAIChatDecoder: StreamDecoder {
    let provider: String
    var state = StreamState()
    /// The provider's call id per provider index, to notice servers that reuse index 0 for
    /// every call of a parallel batch (each arriving whole with its own id).
    var callIDs: [Int: String] = [:]

    /// Creates a decoder that names `provider` in errors.
    public init(provider: String) {
        self.provider = provider
    }

    /// Decodes one event.
    public mutating func decode(_ event: SSEEvent) throws -> [StreamChunk] {
        let data = event.data.trimmingCharacters(in: .whitespacesAndNewlines)
        if data == "[DONE]" {
            state.isComplete = true
            return state.finalChunks()
        }
        if data.isEmpty { return [] }
        let json = try decodeEventJSON(event, provider: provider)
        if let error = json["error"] {
            throw BackendError.modelError(provider: provider, message: Self.errorMessage(error))
        }
        var chunks: [StreamChunk] = []
        if let usage = json["usage"], case .object = usage {
            state.usage = TokenUsage(
                inputTokens: usage["prompt_tokens"]?.wireInt ?? 0,
                outputTokens: usage["completion_tokens"]?.wireInt ?? 0,
                cachedInputTokens: usage["prompt_tokens_details"]?["cached_tokens"]?.wireInt
                    ?? usage["prompt_cache_hit_tokens"]?.wireInt ?? json["timings"]?["cache_n"]?.wireInt ?? 0,
                promptMilliseconds: json["timings"]?["prompt_ms"]?.numberValue)
        }
        guard let choice = json["choices"]?.wireArray?.first else { return chunks }
        if let delta = choice["delta"] {
            // `reasoning_content` (DeepSeek, vLLM, llama.cpp) or `reasoning` (OpenRouter, Ollama).
            if let reasoning = (delta["reasoning_content"] ?? delta["reasoning"])?.stringValue,
                !reasoning.isEmpty
            {
                chunks.append(.reasoningDelta(reasoning))
            }
            if let text = delta["content"]?.stringValue, !text.isEmpty {
                chunks.append(.textDelta(text))
            }
            for call in delta["tool_calls"]?.wireArray ?? [] {
                chunks += decodeToolCall(call)
            }
        }
        if let reason = choice["finish_reason"]?.stringValue {
            state.finishReason = Self.finishReason(reason)
            // The usage chunk and `[DONE]` may follow; the calls themselves are complete now.
            chunks += state.endAllCalls()
        }
        return chunks
    }

    /// The stream ended: complete only after `[DONE]` or a finish reason.
    public mutating func finish() throws -> [StreamChunk] {
        if state.finishReason != nil { state.isComplete = true }
        return try state.endOfStream(provider: provider)
    }

    mutating func decodeToolCall(_ call: JSONValue) -> [StreamChunk] {
        let providerIndex = call["index"]?.wireInt ?? 0
        let id = call["id"]?.stringValue
        let function = call["function"]
        var chunks: [StreamChunk] = []
        let key = String(providerIndex)
        var index = state.toolIndices[key]
        if let known = index, let id, !id.isEmpty, let previous = callIDs[providerIndex], previous != id {
            // Same provider index, new id: a server that numbers every call 0. Start a new one.
            chunks += state.endCall(known)
            index = nil
        }
        if index == nil {
            let name = function?["name"]?.stringValue ?? ""
            let (newIndex, start) = state.startCall(key: key, id: id, name: name)
            callIDs[providerIndex] = id
            chunks.append(start)
            index = newIndex
        }
        if let index, let fragment = function?["arguments"]?.stringValue, !fragment.isEmpty {
            chunks.append(.toolCallArgumentsDelta(index: index, fragment: fragment))
        }
        return chunks
    }

    static func finishReason(_ reason: String) -> FinishReason {
        switch reason {
        case "stop": return .stop
        case "tool_calls", "function_call": return .toolCalls
        case "length": return .length
        case "content_filter": return .contentFilter
        default: return .other(reason)
        }
    }

    static func errorMessage(_ error: JSONValue) -> String {
        error["message"]?.stringValue ?? error.stringValue ?? error.jsonText
    }
}
