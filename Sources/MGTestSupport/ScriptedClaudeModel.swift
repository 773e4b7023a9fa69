import Foundation

/// Anthropic's Messages API for the real Claude Code CLI under test, served by
/// `LoopbackHTTPServer`: every reply is a streamed (SSE) turn chosen from the conversation so
/// far — `Read` calc.sh, `Edit` it, then answer through mg's MCP tool `mcp__mg__new_answer`;
/// once its own answer is in its context, `mcp__mg__vote` for agent1; after an mg tool's result,
/// a closing text. Paths are absolute in the worktree Claude Code reports
/// ("Primary working directory: …").
public struct ScriptedClaudeModel: Sendable {
    /// Creates the model.
    public init() {}

    /// The reply to `request` (a `POST /v1/messages`).
    public func reply(_ request: RecordedRequest) -> ScriptedHTTPResponse {
        let text = request.bodyText
        guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
            return .json(status: 400, #"{"type":"error","error":{"type":"invalid_request_error","message":"not JSON"}}"#)
        }
        let messages = body["messages"] as? [[String: Any]] ?? []
        var names: [String: String] = [:]
        var done: [String] = []
        for message in messages {
            for block in message["content"] as? [[String: Any]] ?? [] {
                if block["type"] as? String == "tool_use", let id = block["id"] as? String {
                    names[id] = block["name"] as? String
                }
                if block["type"] as? String == "tool_result", let id = block["tool_use_id"] as? String, let name = names[id] {
                    done.append(name)
                }
            }
        }
        let file = Self.workingDirectory(in: text) + "/calc.sh"
        let step: (name: String, input: [String: Any])?
        if done.contains("mcp__mg__new_answer") || done.contains("mcp__mg__vote") {
            step = nil
        } else if text.contains("Your previous answer (") {
            step = ("mcp__mg__vote", ["agent_id": "agent1", "reason": "its tests pass"])
        } else if done.contains("Edit") {
            step = ("mcp__mg__new_answer", ["content": "Fixed add() in calc.sh (Claude Code)."])
        } else if done.contains("Read") {
            step = ("Edit", ["file_path": file, "old_string": "$1 - $2", "new_string": "$1 + $2"])
        } else {
            step = ("Read", ["file_path": file])
        }
        return Self.stream(step, model: body["model"] as? String ?? "claude", index: messages.count)
    }

    static func workingDirectory(in text: String) -> String {
        guard let range = text.range(of: "Primary working directory: ") else { return "." }
        return String(text[range.upperBound...].prefix { $0 != "\\" && $0 != "\"" && $0 != "\n" })
    }

    static func stream(_ step: (name: String, input: [String: Any])?, model: String, index: Int) -> ScriptedHTTPResponse {
        let block: [String: Any]
        let delta: [String: Any]
        if let step {
            block = ["type": "tool_use", "id": "toolu_\(index)", "name": step.name, "input": [String: Any]()]
            let input = String(decoding: (try? JSONSerialization.data(withJSONObject: step.input)) ?? Data(), as: UTF8.self)
            delta = ["type": "input_json_delta", "partial_json": input]
        } else {
            block = ["type": "text", "text": ""]
            delta = ["type": "text_delta", "text": "Done."]
        }
        let events: [(String, [String: Any])] = [
            ("message_start", ["type": "message_start", "message": [
                "id": "msg_\(index)", "type": "message", "role": "assistant", "model": model, "content": [Any](),
                "stop_reason": NSNull(), "stop_sequence": NSNull(), "usage": ["input_tokens": 800, "output_tokens": 1],
            ]]),
            ("content_block_start", ["type": "content_block_start", "index": 0, "content_block": block]),
            ("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": delta]),
            ("content_block_stop", ["type": "content_block_stop", "index": 0]),
            ("message_delta", ["type": "message_delta", "delta": ["stop_reason": step == nil ? "end_turn" : "tool_use", "stop_sequence": NSNull()], "usage": ["output_tokens": 20]]),
            ("message_stop", ["type": "message_stop"]),
        ]
        return .sse(events.map { name, object in
            SSEFrame(event: name, data: String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self))
        })
    }
}
