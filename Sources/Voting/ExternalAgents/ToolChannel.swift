import CodingAgent
import Foundation

/// mg's JSON-lines protocol with programs that act as agents: framework adapters over their
/// stdin/stdout, and `mg mcp` over the session's coordination socket (docs/external-agents.md).
///
/// Program → mg: `{"type":"tool_call","id":"1","name":"read_file","arguments":{…}}` (also the
/// shorthands `{"type":"answer","content":…}` and `{"type":"vote","agent_id":…,"reason":…}`),
/// `{"type":"log","text":…}`, `{"type":"usage","input_tokens":…,"output_tokens":…,"cost_usd":…}`,
/// and for `mg mcp` first `{"type":"hello","agent":…,"token":…}`.
/// mg → program: `{"type":"start",…}` (adapters), `{"type":"welcome","tools":[…]}` (mg mcp),
/// `{"type":"tool_result","id":"1","is_error":false,"text":…,"terminal":false}`, `{"type":"error","message":…}`.
public enum ToolChannel {
    /// One message from the program.
    public enum Incoming: Sendable, Hashable {
        case toolCall(id: String, name: String, arguments: JSONValue)
        case log(String)
        case usage(TokenUsage, costUSD: Double?)
        case hello(agent: String, token: String)
        /// A line that is not a protocol message (kept as program output).
        case other(String)
    }

    /// Reads one line.
    public static func parse(_ line: String) -> Incoming {
        guard let message = JSONValue.parse(line), case .object(let object) = message,
            let type = object["type"]?.stringValue
        else { return .other(line) }
        let id = object["id"]?.stringValue ?? object["id"]?.numberValue.map { String(Int($0)) } ?? "call"
        switch type {
        case "tool_call":
            guard let name = object["name"]?.stringValue else { return .other(line) }
            var arguments = object["arguments"] ?? .object([:])
            if case .string(let text) = arguments, let parsed = JSONValue.parse(text) { arguments = parsed }
            return .toolCall(id: id, name: name, arguments: arguments)
        case "answer":
            return .toolCall(id: id, name: "new_answer", arguments: .object(["content": object["content"] ?? .string("")]))
        case "vote":
            return .toolCall(
                id: id, name: "vote",
                arguments: .object(["agent_id": object["agent_id"] ?? .string(""), "reason": object["reason"] ?? .string("")]))
        case "log":
            return .log(object["text"]?.stringValue ?? "")
        case "usage":
            let usage = TokenUsage(
                inputTokens: Int(object["input_tokens"]?.numberValue ?? 0),
                outputTokens: Int(object["output_tokens"]?.numberValue ?? 0),
                cachedInputTokens: Int(object["cached_input_tokens"]?.numberValue ?? 0))
            return .usage(usage, costUSD: object["cost_usd"]?.numberValue)
        case "hello":
            return .hello(agent: object["agent"]?.stringValue ?? "", token: object["token"]?.stringValue ?? "")
        default:
            return .other(line)
        }
    }

    /// The result line of call `id`.
    public static func result(id: String, _ outcome: ToolOutcome) -> String {
        JSONValue.object([
            "type": .string("tool_result"), "id": .string(id), "is_error": .bool(outcome.isError),
            "text": .string(outcome.text), "terminal": .bool(outcome.terminalPayload != nil && !outcome.isError),
        ]).jsonText
    }

    /// An error line.
    public static func error(_ message: String) -> String {
        JSONValue.object(["type": .string("error"), "message": .string(message)]).jsonText
    }

    /// Tool definitions as the protocol sends them (OpenAI's function shape, which AG2 and
    /// LangChain take as they are).
    public static func definitions(_ tools: [ToolDefinition]) -> JSONValue {
        .array(
            tools.map {
                .object([
                    "name": .string($0.name), "description": .string($0.description), "parameters": $0.parameters,
                ])
            })
    }
}

/// What a program did with mg's terminal tools during one run.
actor RunObserver {
    /// The last successful terminal call: `new_answer` or `vote`.
    private(set) var lastTerminal: String?
    /// How many calls mg refused (for the runner's failure message).
    private(set) var refusals: [String] = []
    /// A vote was taken but not counted: new answers arrived, the agent restarts with them.
    private(set) var voteIgnored = false

    func terminal(_ name: String) { lastTerminal = name }
    func ignoredVote() { voteIgnored = true }
    func refused(_ text: String) { refusals.append(text) }
}

/// Serves one agent's tool calls arriving from a program: records them like the agent loop
/// does (so the transcript, the live view and the coordinator's turn rules see them), runs the
/// tool in the agent's worktree and notes terminal outcomes.
struct ToolCallServer: Sendable {
    let tools: ToolRegistry
    let context: ToolContextSource
    let transcript: any TranscriptRecorder
    let observer: RunObserver

    func handle(id: String, name: String, arguments: JSONValue) async -> ToolOutcome {
        let call = ToolCall(id: id, name: name, arguments: arguments.jsonText)
        let step = 0
        await transcript.record(TranscriptEntry(step: step, event: .assistant(Message(role: .assistant, parts: [.toolCall(call)]), reasoning: nil)))
        await transcript.record(TranscriptEntry(step: step, event: .toolCall(call)))
        let outcome: ToolOutcome
        if let tool = tools.tool(named: name) {
            do {
                var resolved = try await context.resolve()
                resolved.callID = id
                outcome = await tool.run(arguments: arguments, context: resolved)
            } catch {
                outcome = .failure("Not run: your workspace is not available (\(error)).")
            }
        } else {
            outcome = .failure(tools.unknownToolMessage(name))
        }
        await transcript.record(
            TranscriptEntry(
                step: step,
                event: .toolResult(ToolResult(callID: id, name: name, content: outcome.text, isError: outcome.isError), media: [])))
        if outcome.terminalPayload != nil, !outcome.isError {
            await observer.terminal(name)
        } else if name == "vote", !outcome.isError {
            await observer.ignoredVote()
        } else if outcome.isError, name == "new_answer" || name == "vote" {
            await observer.refused(outcome.text)
        }
        return outcome
    }
}
