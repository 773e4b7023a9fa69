/// One thing that happened in an agent loop, in order, for transcripts and live views.
public enum TranscriptEvent: Sendable, Hashable, Codable {
    /// The text of the context a run starts with (task, history, other answers), recorded
    /// before the first model call so a run's input can be read back (media by reference only).
    case context(String)
    /// The assistant message assembled from a streamed turn (reasoning kept separately).
    case assistant(Message, reasoning: String?)
    /// A tool call, recorded before the tool runs.
    case toolCall(ToolCall)
    /// A tool's result (and any media it attached), recorded as soon as it is known.
    case toolResult(ToolResult, media: [ContentPart])
    /// Tokens of one model call and, when a cost meter is set, its cost in USD.
    case usage(TokenUsage, costUSD: Double?)
    /// A corrective message the loop added (no tool call, model error, bare-JSON call accepted).
    case correction(String)
    /// A problem the loop survived or ended on.
    case error(String)
    /// The checkpoint hook's decision after a turn.
    case checkpoint(String)
    /// The loop ended; the text describes the outcome.
    case finished(String)
}

/// One transcript event with the model-call step it belongs to (1-based).
public struct TranscriptEntry: Sendable, Hashable, Codable {
    /// The model call (turn) number the event belongs to.
    public var step: Int
    /// What happened.
    public var event: TranscriptEvent

    /// Creates an entry.
    public init(step: Int, event: TranscriptEvent) {
        self.step = step
        self.event = event
    }
}

/// Receives every event of a loop as it happens; the loop awaits each call, so a recorder that
/// writes to disk has the tool call persisted before the tool runs.
public protocol TranscriptRecorder: Sendable {
    /// Records one entry.
    func record(_ entry: TranscriptEntry) async
}

/// A recorder that drops everything.
public struct DiscardingRecorder: TranscriptRecorder {
    /// Creates the recorder.
    public init() {}
    public func record(_ entry: TranscriptEntry) async {}
}

/// A recorder that keeps entries in memory (tests, short sessions, live views).
public actor InMemoryRecorder: TranscriptRecorder {
    /// Everything recorded so far, in order.
    public private(set) var entries: [TranscriptEntry] = []

    /// Creates an empty recorder.
    public init() {}

    public func record(_ entry: TranscriptEntry) async {
        entries.append(entry)
    }
}
