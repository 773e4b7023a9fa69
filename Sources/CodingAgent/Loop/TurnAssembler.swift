/// Builds the assistant `Message` of one turn from its stream chunks.
///
/// Tool calls are keyed by their stream index: arguments arrive as fragments, possibly
/// interleaved between parallel calls, and some servers send no start chunk or no id.
struct TurnAssembler {
    private struct PendingCall {
        var id: String
        var name: String
        var arguments: String
    }

    private(set) var text = ""
    private(set) var reasoning = ""
    private var calls: [Int: PendingCall] = [:]
    private(set) var usage: TokenUsage?
    private(set) var finishReason: FinishReason?
    private(set) var streamErrors: [String] = []

    mutating func consume(_ chunk: StreamChunk) {
        switch chunk {
        case .textDelta(let delta): text += delta
        case .reasoningDelta(let delta): reasoning += delta
        case .toolCallStart(let index, let id, let name):
            var call = calls[index] ?? PendingCall(id: "", name: "", arguments: "")
            if !id.isEmpty { call.id = id }
            if !name.isEmpty { call.name = name }
            calls[index] = call
        case .toolCallArgumentsDelta(let index, let fragment):
            calls[index, default: PendingCall(id: "", name: "", arguments: "")].arguments += fragment
        case .toolCallEnd: break
        case .usage(let reported):
            // Providers report usage once per call; a second report replaces the first.
            usage = reported
        case .finish(let reason): finishReason = reason
        case .error(let message): streamErrors.append(message)
        }
    }

    /// The tool calls in index order, with ids synthesized where the provider gave none.
    func toolCalls(step: Int) -> [ToolCall] {
        calls.keys.sorted().compactMap { index in
            guard let call = calls[index] else { return nil }
            let id = call.id.isEmpty ? "call_\(step)_\(index)" : call.id
            return ToolCall(id: id, name: call.name, arguments: call.arguments)
        }
    }

    /// The assistant message: the text (if any) followed by the tool calls.
    func message(step: Int) -> Message {
        var parts: [ContentPart] = []
        if !text.isEmpty { parts.append(.text(text)) }
        parts += toolCalls(step: step).map { .toolCall($0) }
        return Message(role: .assistant, parts: parts)
    }
}
