/// Why an agent loop ended.
public enum AgentLoopOutcome: Sendable, Hashable {
    /// A terminal tool succeeded; `payload` is what it returned.
    case terminal(toolName: String, payload: JSONValue)
    /// No terminal tool is offered and the model answered in text: its reply.
    case textReply(String)
    /// The model kept answering without a tool call after every corrective message.
    case noToolCall(corrections: Int)
    /// The model made the same failing call turn after turn, even after being told (`times` turns).
    case repeatedFailure(toolName: String, error: String, times: Int)
    /// The model made the same successful call again and again (same arguments, same result),
    /// even after being told; it leaves with what it has committed.
    case repeatedCall(toolName: String, times: Int)
    /// The step limit was reached.
    case stepLimitReached(steps: Int)
    /// The deadline passed.
    case deadlinePassed
    /// The cost ceiling was reached.
    case costCeilingReached(spentUSD: Double, ceilingUSD: Double)
    /// The task running the loop was cancelled.
    case cancelled
    /// The checkpoint hook said stop.
    case stopped(reason: String)
    /// The backend failed in a way retrying the turn does not fix.
    case backendFailed(BackendError)

    /// A one-line description for transcripts and logs.
    public var summary: String {
        switch self {
        case .terminal(let name, _): return "finished with \(name)"
        case .textReply: return "finished with a text reply"
        case .noToolCall(let corrections): return "gave up: no tool call after \(corrections) corrective messages"
        case .repeatedFailure(let name, let error, let times):
            return "gave up: the same \(name) call failed \(times) times (\(error.prefix(120)))"
        case .repeatedCall(let name, let times):
            return "stopped: it repeated the same \(name) call \(times) times after being told it tells nothing new"
        case .stepLimitReached(let steps): return "stopped at the step limit (\(steps) model calls)"
        case .deadlinePassed: return "stopped: the deadline passed"
        case .costCeilingReached(let spent, let ceiling):
            return "stopped: spent $\(spent) of the $\(ceiling) ceiling"
        case .cancelled: return "cancelled"
        case .stopped(let reason): return "stopped at a checkpoint: \(reason)"
        case .backendFailed(let error): return "backend failed: \(error)"
        }
    }
}

/// Everything a finished loop hands back.
public struct AgentLoopResult: Sendable {
    /// Why it ended.
    public var outcome: AgentLoopOutcome
    /// The conversation (without the system prompt), including the final turn.
    public var messages: [Message]
    /// Model calls made.
    public var steps: Int
    /// Tokens used in all.
    public var usage: TokenUsage
    /// Cost in USD (0 without a cost meter).
    public var costUSD: Double
    /// The tool mode in effect at the end: `text` once `auto` fell back, so the next run of the
    /// same agent starts there.
    public var toolMode: ToolMode = .auto
}
