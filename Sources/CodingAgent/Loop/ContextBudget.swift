/// Keeps a request inside the model's context window before it is sent.
///
/// The window comes from the configuration (`context_window`) or the server (llama.cpp
/// `/props` `n_ctx`). Tokens are estimated from characters — code and JSON run at about three
/// characters a token for the tokenizers of small local models, so the estimate errs on the
/// safe side for prose. When the conversation would not leave room for the reply,
/// `ConversationCompactor` leaves out the oldest tool output first (each stub says so, and
/// how to get it back), until it fits or nothing is left to shrink; a server that still
/// refuses triggers the loop's reactive compaction.
struct ContextBudget: Sendable {
    /// Characters per token assumed by the estimate.
    static let charactersPerToken = 3.0
    /// Tokens counted for one media part (an image is ~1,000 tokens for most providers).
    static let tokensPerMedia = 1_000

    /// The model's context window in tokens.
    let window: Int
    /// Tokens kept free for the reply.
    let reserve: Int

    /// A budget for `window` tokens keeping `reserve` (default: a quarter, at most 2,048) free.
    init(window: Int, reserve: Int? = nil) {
        self.window = max(window, 512)
        self.reserve = reserve ?? min(2_048, self.window / 4)
    }

    /// Tokens the request is estimated to use.
    static func estimate(_ request: ModelRequest) -> Int {
        var characters = 0
        var media = 0
        for message in request.messages {
            characters += 8  // role and separators
            for part in message.parts {
                switch part {
                case .text(let text): characters += text.count
                case .toolCall(let call): characters += call.name.count + call.arguments.count + 16
                case .toolResult(let result): characters += result.content.count + 16
                case .image, .audio, .video, .file: media += 1
                }
            }
        }
        for tool in request.tools {
            characters += tool.name.count + tool.description.count + tool.parameters.jsonText.count
        }
        return Int((Double(characters) / charactersPerToken).rounded(.up)) + media * tokensPerMedia
    }

    /// Tokens available for the prompt.
    var promptLimit: Int { window - reserve }

    /// `messages` shrunk until `request(messages)` fits, and whether anything was left out.
    func fit(_ messages: [Message], request: ([Message]) -> ModelRequest) -> (messages: [Message], shrunk: Bool) {
        var current = messages
        var shrunk = false
        while Self.estimate(request(current)) > promptLimit, let smaller = ConversationCompactor.compact(current) {
            current = smaller
            shrunk = true
        }
        return (current, shrunk)
    }
}
