import CodingAgent
import Foundation

/// What one line of a CLI agent's output means to mg.
enum AgentOutputEvent: Sendable, Hashable {
    /// Text the agent wrote (its messages, or plain output).
    case text(String)
    /// The agent used one of its own tools.
    case tool(name: String, detail: String)
    /// A tool of its own returned.
    case toolResult(name: String, text: String, isError: Bool)
    /// Tokens (and cost when the program reports it) of one model call or of the run.
    case usage(TokenUsage, costUSD: Double?)
    /// The agent's final message (the summary of its answer).
    case final(String)
    /// The agent reported that it failed.
    case failed(String)
}

/// Reads a CLI agent's stdout line by line.
struct AgentOutputParser: Sendable {
    enum Format: Sendable, Hashable {
        /// `claude -p --output-format stream-json --verbose`.
        case claudeStreamJSON
        /// `codex exec --json`.
        case codexJSON
        /// aider's console output (its `Tokens: … Cost: …` lines counted).
        case aiderText
        /// Anything else: plain text.
        case text
    }

    let format: Format
    private var toolNames: [String: String] = [:]

    init(format: Format) { self.format = format }

    mutating func parse(_ line: String) -> [AgentOutputEvent] {
        switch format {
        case .claudeStreamJSON: claude(line)
        case .codexJSON: codex(line)
        case .aiderText: Self.aider(line)
        case .text: line.trimmingCharacters(in: .whitespaces).isEmpty ? [] : [.text(line)]
        }
    }

    private mutating func claude(_ line: String) -> [AgentOutputEvent] {
        guard let message = JSONValue.parse(line), let type = message["type"]?.stringValue else {
            return line.isEmpty ? [] : [.text(line)]
        }
        switch type {
        case "assistant", "user":
            guard case .array(let blocks)? = message["message"]?["content"] else { return [] }
            var events: [AgentOutputEvent] = []
            for block in blocks {
                switch block["type"]?.stringValue {
                case "text":
                    if let text = block["text"]?.stringValue, !text.isEmpty { events.append(.text(text)) }
                case "tool_use":
                    let name = block["name"]?.stringValue ?? "tool"
                    if let id = block["id"]?.stringValue { toolNames[id] = name }
                    events.append(.tool(name: name, detail: block["input"]?.jsonText ?? ""))
                case "tool_result":
                    let id = block["tool_use_id"]?.stringValue ?? ""
                    events.append(
                        .toolResult(
                            name: toolNames[id] ?? "tool", text: Self.text(of: block["content"]),
                            isError: block["is_error"] == .bool(true)))
                default: break
                }
            }
            return events
        case "result":
            var events: [AgentOutputEvent] = []
            if let usage = message["usage"] {
                let tokens = TokenUsage(
                    inputTokens: Self.int(usage["input_tokens"]) + Self.int(usage["cache_creation_input_tokens"]),
                    outputTokens: Self.int(usage["output_tokens"]),
                    cachedInputTokens: Self.int(usage["cache_read_input_tokens"]))
                events.append(.usage(tokens, costUSD: message["total_cost_usd"]?.numberValue ?? message["cost_usd"]?.numberValue))
            }
            let result = message["result"]?.stringValue ?? ""
            if message["is_error"] == .bool(true) || (message["subtype"]?.stringValue ?? "success") != "success" {
                let subtype = message["subtype"]?.stringValue ?? "error"
                events.append(.failed(result.isEmpty ? "Claude Code ended with \(subtype)" : "Claude Code ended with \(subtype): \(result)"))
            } else {
                events.append(.final(result))
            }
            return events
        default:
            return []
        }
    }

    private func codex(_ line: String) -> [AgentOutputEvent] {
        guard let event = JSONValue.parse(line), let type = event["type"]?.stringValue else {
            return line.isEmpty ? [] : [.text(line)]
        }
        let item = event["item"]
        switch (type, item?["type"]?.stringValue) {
        case ("item.completed", "agent_message"?):
            let text = item?["text"]?.stringValue ?? ""
            return text.isEmpty ? [] : [.text(text), .final(text)]
        case ("item.started", "command_execution"?):
            return [.tool(name: "shell", detail: item?["command"]?.stringValue ?? "")]
        case ("item.completed", "command_execution"?):
            let code = item?["exit_code"]?.numberValue ?? 0
            return [.toolResult(name: "shell", text: item?["aggregated_output"]?.stringValue ?? "", isError: code != 0)]
        case ("item.completed", "file_change"?):
            guard case .array(let changes)? = item?["changes"] else { return [.tool(name: "apply_patch", detail: "")] }
            let paths = changes.compactMap { $0["path"]?.stringValue }.joined(separator: ", ")
            return [.tool(name: "apply_patch", detail: paths)]
        case ("item.started", "mcp_tool_call"?):
            let server = item?["server"]?.stringValue ?? "mcp"
            return [.tool(name: "\(server)__\(item?["tool"]?.stringValue ?? "tool")", detail: item?["arguments"]?.jsonText ?? "")]
        case ("turn.completed", _):
            guard let usage = event["usage"] else { return [] }
            let tokens = TokenUsage(
                inputTokens: Self.int(usage["input_tokens"]), outputTokens: Self.int(usage["output_tokens"]),
                cachedInputTokens: Self.int(usage["cached_input_tokens"]))
            return [.usage(tokens, costUSD: nil)]
        case ("turn.failed", _):
            return [.failed("Codex turn failed: \(event["error"]?["message"]?.stringValue ?? "unknown error")")]
        case ("error", _):
            return [.failed("Codex: \(event["message"]?.stringValue ?? "error")")]
        default:
            return []
        }
    }

    /// aider prints `Tokens: 2.3k sent, 150 received. Cost: $0.0012 message, $0.0034 session.`
    static func aider(_ line: String) -> [AgentOutputEvent] {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [] }
        guard trimmed.hasPrefix("Tokens:") else { return [.text(line)] }
        let sent = amount(before: " sent", in: trimmed)
        let received = amount(before: " received", in: trimmed)
        var cost: Double?
        if let range = trimmed.range(of: "Cost: $") {
            let digits = trimmed[range.upperBound...].prefix { $0.isNumber || $0 == "." }
            cost = Double(digits)
        }
        let cached = amount(before: " cache hit", in: trimmed)
        return [.usage(TokenUsage(inputTokens: sent, outputTokens: received, cachedInputTokens: cached), costUSD: cost)]
    }

    /// The number just before `marker` (`2.3k`, `1,024`, `12`).
    static func amount(before marker: String, in text: String) -> Int {
        guard let range = text.range(of: marker) else { return 0 }
        let head = text[..<range.lowerBound]
        let token = head.split(separator: " ").last.map(String.init) ?? ""
        var digits = token.replacingOccurrences(of: ",", with: "")
        var scale = 1.0
        if digits.lowercased().hasSuffix("k") {
            scale = 1_000
            digits.removeLast()
        } else if digits.lowercased().hasSuffix("m") {
            scale = 1_000_000
            digits.removeLast()
        }
        return Int((Double(digits) ?? 0) * scale)
    }

    static func int(_ value: JSONValue?) -> Int { Int(value?.numberValue ?? 0) }

    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text)?: return text
        case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }
}

/// The instruction an agent without MCP gives as its last line:
/// `{"mg": "answer", "content": "…"}` or `{"mg": "vote", "agent_id": "agent2", "reason": "…"}`.
enum FinalDirective {
    /// The last directive in `text` (any line), as a tool call.
    static func find(in text: String) -> (name: String, arguments: JSONValue)? {
        for line in text.split(separator: "\n").reversed() {
            let trimmed = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            guard trimmed.hasPrefix("{"), let value = JSONValue.parse(trimmed), let kind = value["mg"]?.stringValue else {
                continue
            }
            switch kind {
            case "answer":
                return ("new_answer", .object(["content": value["content"] ?? .string("")]))
            case "vote":
                return ("vote", .object(["agent_id": value["agent_id"] ?? .string(""), "reason": value["reason"] ?? .string("")]))
            default:
                continue
            }
        }
        return nil
    }
}
