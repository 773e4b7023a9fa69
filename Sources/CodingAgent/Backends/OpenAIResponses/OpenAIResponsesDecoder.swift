import Foundation

/// Decodes a Responses API SSE stream (semantic events, no `[DONE]`): text and reasoning deltas,
/// `function_call` items (`output_item.added` → argument deltas → `output_item.done`), and the
/// terminal `response.completed` / `response.incomplete` / `response.failed`.
public struct OpenAIResponsesDecoder: StreamDecoder {
    let provider: String
    var state = StreamState()
    /// Our indices of calls that received at least one argument delta.
    var callsWithArguments: Set<Int> = []

    /// Creates a decoder that names `provider` in errors.
    public init(provider: String) {
        self.provider = provider
    }

    /// Decodes one event; the type comes from the JSON `type` field, else the SSE `event:` line.
    public mutating func decode(_ event: SSEEvent) throws -> [StreamChunk] {
        if event.data.trimmingCharacters(in: .whitespaces) == "[DONE]" { return [] }
        let json = try decodeEventJSON(event, provider: provider)
        let type = json["type"]?.stringValue ?? event.event ?? ""
        switch type {
        case "response.output_text.delta", "response.refusal.delta":
            return (json["delta"]?.stringValue).map { [.textDelta($0)] } ?? []
        case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
            return (json["delta"]?.stringValue).map { [.reasoningDelta($0)] } ?? []
        case "response.output_item.added":
            guard let item = json["item"], item["type"]?.stringValue == "function_call" else { return [] }
            let (index, start) = state.startCall(
                key: key(json), id: item["call_id"]?.stringValue ?? item["id"]?.stringValue,
                name: item["name"]?.stringValue ?? "")
            if let itemID = item["id"]?.stringValue { state.toolIndices["item:" + itemID] = index }
            return [start]
        case "response.function_call_arguments.delta":
            guard let index = callIndex(json), let delta = json["delta"]?.stringValue, !delta.isEmpty else {
                return []
            }
            callsWithArguments.insert(index)
            return [.toolCallArgumentsDelta(index: index, fragment: delta)]
        case "response.output_item.done":
            guard let item = json["item"], item["type"]?.stringValue == "function_call",
                let index = callIndex(json)
            else { return [] }
            var chunks: [StreamChunk] = []
            // A server that sends no argument deltas still delivers the arguments on the item.
            if !callsWithArguments.contains(index), let arguments = item["arguments"]?.stringValue,
                !arguments.isEmpty
            {
                chunks.append(.toolCallArgumentsDelta(index: index, fragment: arguments))
            }
            return chunks + state.endCall(index)
        case "response.completed", "response.incomplete":
            let response = json["response"]
            if let usage = response?["usage"], case .object = usage {
                state.usage = TokenUsage(
                    inputTokens: usage["input_tokens"]?.wireInt ?? 0,
                    outputTokens: usage["output_tokens"]?.wireInt ?? 0,
                    cachedInputTokens: usage["input_tokens_details"]?["cached_tokens"]?.wireInt ?? 0)
            }
            if type == "response.incomplete" {
                let reason = response?["incomplete_details"]?["reason"]?.stringValue ?? "incomplete"
                state.finishReason =
                    reason == "max_output_tokens"
                    ? .length : reason == "content_filter" ? .contentFilter : .other(reason)
            }
            state.isComplete = true
            return state.finalChunks()
        case "response.failed":
            let message = json["response"]?["error"]?["message"]?.stringValue ?? "the response failed"
            throw BackendError.modelError(provider: provider, message: message)
        case "error":
            let message =
                json["message"]?.stringValue ?? json["error"]?["message"]?.stringValue ?? json.jsonText
            let code = json["code"]?.stringValue ?? json["error"]?["code"]?.stringValue ?? ""
            if code.contains("rate_limit") {
                throw BackendError.quotaExceeded(provider: provider, message: message)
            }
            if code.contains("server_error") {
                throw BackendError.serverError(provider: provider, status: 500, message: message)
            }
            throw BackendError.modelError(provider: provider, message: message)
        default:
            return []
        }
    }

    /// The stream ended: complete only after `response.completed` or `response.incomplete`.
    public mutating func finish() throws -> [StreamChunk] {
        try state.endOfStream(provider: provider)
    }

    func key(_ json: JSONValue) -> String {
        "output:" + String(json["output_index"]?.wireInt ?? state.callCount)
    }

    func callIndex(_ json: JSONValue) -> Int? {
        if let itemID = json["item_id"]?.stringValue ?? json["item"]?["id"]?.stringValue,
            let index = state.toolIndices["item:" + itemID]
        {
            return index
        }
        if let output = json["output_index"]?.wireInt { return state.toolIndices["output:" + String(output)] }
        return nil
    }
}
