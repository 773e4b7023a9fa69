import Foundation

/// The file format of the `scripted` backend (documented in docs/scripted-backend.md).
public struct ScriptedScript: Sendable, Hashable, Codable {
    /// Characters per streamed text or argument delta (default 16).
    public var chunkSize: Int?
    /// The assistant turns, replayed in order, one per model call.
    public var turns: [ScriptedTurn]

    /// Creates a script.
    public init(chunkSize: Int? = nil, turns: [ScriptedTurn]) {
        self.chunkSize = chunkSize
        self.turns = turns
    }

    enum CodingKeys: String, CodingKey {
        case chunkSize = "chunk_size"
        case turns
    }
}

/// One recorded assistant turn, or a failure to produce instead.
public struct ScriptedTurn: Sendable, Hashable, Codable {
    /// Text the assistant says (streamed in deltas).
    public var text: String?
    /// Reasoning text streamed before the answer.
    public var reasoning: String?
    /// Tool calls of the turn, streamed as start / argument deltas / end.
    public var toolCalls: [ScriptedToolCall]?
    /// Wait before the first chunk (latency simulation).
    public var delayMilliseconds: Int?
    /// Wait between chunks (slow streams).
    public var chunkDelayMilliseconds: Int?
    /// Token usage reported at the end of the turn.
    public var usage: ScriptedUsage?
    /// Finish reason: `stop`, `tool_calls`, `length`, `content_filter` (default: `tool_calls` when there are calls).
    public var finish: String?
    /// Instead of finishing, fail with this error (after streaming any text given).
    public var fail: ScriptedFailure?
    /// Play this turn only once the request's messages contain every one of these texts; until
    /// then the backend answers with a read-only `list_files` call and retries the same turn.
    public var awaitContext: ScriptedContextCondition?
    /// Delay of each waiting `list_files` turn (default 100 ms).
    public var awaitPollMilliseconds: Int?

    /// Creates a turn.
    public init(
        text: String? = nil, reasoning: String? = nil, toolCalls: [ScriptedToolCall]? = nil, delayMilliseconds: Int? = nil,
        chunkDelayMilliseconds: Int? = nil, usage: ScriptedUsage? = nil, finish: String? = nil, fail: ScriptedFailure? = nil,
        awaitContext: ScriptedContextCondition? = nil, awaitPollMilliseconds: Int? = nil
    ) {
        self.text = text
        self.reasoning = reasoning
        self.toolCalls = toolCalls
        self.delayMilliseconds = delayMilliseconds
        self.chunkDelayMilliseconds = chunkDelayMilliseconds
        self.usage = usage
        self.finish = finish
        self.fail = fail
        self.awaitContext = awaitContext
        self.awaitPollMilliseconds = awaitPollMilliseconds
    }

    enum CodingKeys: String, CodingKey {
        case text, reasoning, usage, finish, fail
        case toolCalls = "tool_calls"
        case delayMilliseconds = "delay_ms"
        case chunkDelayMilliseconds = "chunk_delay_ms"
        case awaitContext = "await_context"
        case awaitPollMilliseconds = "await_poll_ms"
    }
}

/// A turn's `await_context` condition: one text or a list, all of which the request must contain.
///
/// It makes multi-agent scripts deterministic without timing assumptions: a vote turn waits
/// until the agent's context shows the answers it votes on, as a real model would only vote on
/// answers it can see.
public struct ScriptedContextCondition: Sendable, Hashable, Codable {
    /// The texts that must all appear in the request's messages.
    public var texts: [String]

    /// A condition on `texts` (all must appear).
    public init(_ texts: [String]) {
        self.texts = texts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            texts = [one]
        } else {
            texts = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if texts.count == 1 { try container.encode(texts[0]) } else { try container.encode(texts) }
    }

    /// Whether `request`'s messages contain every text.
    public func isMet(by request: ModelRequest) -> Bool {
        let context = request.messages.map(\.text).joined(separator: "\n")
        return texts.allSatisfy { context.contains($0) }
    }
}

/// A tool call in a scripted turn.
public struct ScriptedToolCall: Sendable, Hashable, Codable {
    /// Call id; synthesized (`call_<turn>_<index>`) when absent.
    public var id: String?
    /// The tool's name.
    public var name: String
    /// The arguments: a JSON object, or a string sent verbatim (to script malformed arguments).
    public var arguments: JSONValue?

    /// Creates a call.
    public init(id: String? = nil, name: String, arguments: JSONValue? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    /// The argument text streamed to the loop.
    var argumentText: String {
        switch arguments {
        case nil, .null?: return "{}"
        case .string(let raw)?: return raw
        case let value?: return value.jsonText
        }
    }
}

/// Token usage of a scripted turn.
public struct ScriptedUsage: Sendable, Hashable, Codable {
    /// Input (prompt) tokens.
    public var input: Int
    /// Output (completion) tokens.
    public var output: Int
    /// Cached input tokens.
    public var cached: Int?

    /// Creates usage figures.
    public init(input: Int, output: Int, cached: Int? = nil) {
        self.input = input
        self.output = output
        self.cached = cached
    }
}

/// A `BackendError` a scripted turn produces.
public struct ScriptedFailure: Sendable, Hashable, Codable {
    /// `model_error`, `server_error`, `timeout`, `rate_limit`, `network`, `truncated`, `unauthorized`, `bad_request`.
    public var kind: String
    /// HTTP status for the kinds that carry one (default 500, 401, 400).
    public var status: Int?
    /// The provider's message.
    public var message: String?

    /// Creates a failure.
    public init(kind: String, status: Int? = nil, message: String? = nil) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    /// The error to throw; unknown kinds become a model error naming the kind.
    func error(provider: String) -> BackendError {
        let message = self.message ?? "scripted \(kind)"
        switch kind {
        case "server_error": return .serverError(provider: provider, status: status ?? 500, message: message)
        case "timeout": return .timeout(provider: provider, message: message)
        case "rate_limit": return .quotaExceeded(provider: provider, message: message)
        case "network": return .network(provider: provider, message: message)
        case "truncated": return .truncatedStream(provider: provider)
        case "unauthorized": return .unauthorized(provider: provider, status: status ?? 401, message: message, keyVariable: nil)
        case "bad_request": return .badRequest(provider: provider, status: status ?? 400, message: message)
        case "model_error": return .modelError(provider: provider, message: message)
        default: return .modelError(provider: provider, message: "unknown scripted failure kind \(kind): \(message)")
        }
    }
}
