/// Chat Completions without streaming: `stream: false` in the config, or a server that answers a
/// streamed request with one `chat.completion` object anyway.
extension OpenAIChatFormat {
    /// `{"choices": [{"message": {...}, "finish_reason": …}], "usage": …}` as one stream chunk
    /// (the message as the delta, its tool calls numbered) and `[DONE]`, so the stream decoder
    /// reads it exactly as it reads a stream.
    public func completeResponseEvents(_ json: JSONValue) -> [SSEEvent]? {
        guard let choice = json["choices"]?.wireArray?.first, case .object(var message)? = choice["message"] else {
            return nil
        }
        if let calls = message["tool_calls"]?.wireArray {
            message["tool_calls"] = .array(
                calls.enumerated().map { index, call in
                    guard case .object(var fields) = call else { return call }
                    fields["index"] = .number(Double(index))
                    return .object(fields)
                })
        }
        var delta: [String: JSONValue] = ["index": .number(0), "delta": .object(message)]
        delta["finish_reason"] = choice["finish_reason"] ?? .string("stop")
        var chunk: [String: JSONValue] = ["choices": .array([.object(delta)])]
        chunk["usage"] = json["usage"]
        chunk["timings"] = json["timings"]
        return [SSEEvent(data: JSONValue.object(chunk).jsonText), SSEEvent(data: "[DONE]")]
    }
}
