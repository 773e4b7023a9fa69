/// Shrinks a conversation that no longer fits the model's context window, oldest work first.
///
/// The first message (the task and, in a session, the other agents' answers) and the newest
/// turns stay whole. In the older part, tool outputs become a one-line stub naming the tool and
/// how much was left out, long assistant texts are cut, and media become a note; every tool call
/// keeps its result, so the conversation stays valid for every provider. Each pass works on the
/// older half of what is still whole (the newest turns only once nothing older is left), so
/// repeated passes shrink it further; `nil` means nothing is left to shrink.
enum ConversationCompactor {
    /// Tool output shorter than this is kept as it is (a stub would save nothing).
    static let smallOutput = 200
    /// Assistant text in the older part is cut to this many characters.
    static let assistantTextLimit = 300
    /// Newest messages never touched.
    static let keptTail = 4

    static func compact(_ messages: [Message]) -> [Message]? {
        guard messages.count > 1 else { return nil }
        let older = 1..<max(1, messages.count - keptTail)
        var whole = older.filter { !isCompacted(messages[$0]) }
        if whole.isEmpty {
            // Last resort: the newest turns too (e.g. one huge file read); the first message stays.
            whole = (1..<messages.count).filter { !isCompacted(messages[$0]) }
        }
        guard !whole.isEmpty else { return nil }
        var result = messages
        for index in whole.prefix((whole.count + 1) / 2) { result[index] = compact(messages[index]) }
        return result
    }

    private static let stubPrefix = "[output of "
    private static let mediaNote = "[media left out to fit the model's context window]"

    static func compact(_ message: Message) -> Message {
        var message = message
        message.parts = message.parts.map { part in
            switch part {
            case .toolResult(var result) where result.content.count > smallOutput && !result.content.hasPrefix(stubPrefix):
                result.content =
                    "\(stubPrefix)\(result.name) left out to fit the model's context window: \(result.content.count) characters; "
                    + "call the tool again if you still need it]"
                return .toolResult(result)
            case .text(let text) where message.role == .assistant && text.count > assistantTextLimit:
                return .text(String(text.prefix(assistantTextLimit)) + " […]")
            case .image, .audio, .video, .file:
                return .text(mediaNote)
            default:
                return part
            }
        }
        return message
    }

    /// True when nothing in `message` would shrink further.
    static func isCompacted(_ message: Message) -> Bool {
        compact(message) == message
    }
}
