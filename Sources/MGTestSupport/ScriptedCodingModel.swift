import Foundation

/// An OpenAI-compatible chat-completions model for framework adapters (AG2, LangChain) under
/// test, served by `LoopbackHTTPServer`: it reads each request's conversation and answers with
/// the next tool call a sensible coding agent would make — fix `calc.sh`, then `new_answer`;
/// once its own answer is in its context, `vote`. Non-streaming and streaming requests both
/// get a JSON completion unless `stream: true` asks for SSE.
public struct ScriptedCodingModel: Sendable {
    /// The text replaced in `calc.sh` and its replacement.
    public var old = "$1 - $2"
    public var new = "$1 + $2"
    /// The answer's summary.
    public var summary = "Fixed add() in calc.sh."
    /// Whom it votes for.
    public var vote = "agent1"

    /// Creates a model.
    public init(old: String = "$1 - $2", new: String = "$1 + $2", summary: String = "Fixed add() in calc.sh.", vote: String = "agent1") {
        self.old = old
        self.new = new
        self.summary = summary
        self.vote = vote
    }

    /// The reply to `request` (a `POST …/chat/completions`).
    public func reply(_ request: RecordedRequest) -> ScriptedHTTPResponse {
        guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any],
            let messages = body["messages"] as? [[String: Any]]
        else { return .json(status: 400, #"{"error":{"message":"not a chat request"}}"#) }
        let texts = messages.map { Self.text(of: $0["content"]) }
        let lastTool = messages.last.flatMap { $0["role"] as? String == "tool" ? Self.text(of: $0["content"]) : nil }
        if let lastTool, lastTool.hasPrefix("Your answer is recorded") || lastTool.hasPrefix("Your vote for") {
            // Done: a model says so in text and calls nothing more.
            return Self.completion(request, body: body, message: ["role": "assistant", "content": "Done."], finish: "stop")
        }
        let call: (String, [String: Any])
        if texts.contains(where: { $0.contains("Your previous answer (") }) {
            call = ("vote", ["agent_id": vote, "reason": "its tests pass"])
        } else if let lastTool, lastTool.contains("Replaced") || lastTool.contains("calc.sh") {
            call = ("new_answer", ["content": summary])
        } else {
            call = ("edit_file", ["path": "calc.sh", "old_string": old, "new_string": new])
        }
        let arguments = String(decoding: (try? JSONSerialization.data(withJSONObject: call.1, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        let id = "call_\(request.sequenceNumber)"
        let message: [String: Any] = [
            "role": "assistant", "content": NSNull(),
            "tool_calls": [["id": id, "type": "function", "function": ["name": call.0, "arguments": arguments]]],
        ]
        return Self.completion(request, body: body, message: message, finish: "tool_calls")
    }

    static func completion(_ request: RecordedRequest, body: [String: Any], message: [String: Any], finish: String)
        -> ScriptedHTTPResponse
    {
        let completion: [String: Any] = [
            "id": "chatcmpl-\(request.sequenceNumber)", "object": "chat.completion", "created": 1_700_000_000,
            "model": body["model"] as? String ?? "scripted",
            "choices": [["index": 0, "finish_reason": finish, "message": message]],
            "usage": ["prompt_tokens": 500, "completion_tokens": 40, "total_tokens": 540],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: completion)) ?? Data()
        return .json(String(decoding: data, as: UTF8.self))
    }

    static func text(of content: Any?) -> String {
        if let text = content as? String { return text }
        if let parts = content as? [[String: Any]] { return parts.compactMap { $0["text"] as? String }.joined(separator: "\n") }
        return ""
    }
}
