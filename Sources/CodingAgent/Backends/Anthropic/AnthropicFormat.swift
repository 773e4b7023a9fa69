import Foundation

/// Anthropic Messages (`POST {base}/messages`, `stream: true`): system text outside the messages,
/// content blocks, `tool_use`/`tool_result`, base64 `image` and PDF `document` blocks, the
/// `x-api-key` and `anthropic-version` headers.
public struct AnthropicFormat: ProviderWireFormat {
    /// The API version header value mg speaks.
    public static let apiVersion = "2023-06-01"

    /// The provider's display name in errors.
    public var providerName: String
    /// The environment variable named in authentication errors.
    public var keyVariable: String?
    /// Where to send requests and with which key.
    public var endpoint: ProviderEndpoint

    /// Creates the format for one endpoint.
    public init(
        endpoint: ProviderEndpoint, providerName: String = "Anthropic",
        keyVariable: String? = "ANTHROPIC_API_KEY"
    ) {
        self.endpoint = endpoint
        self.providerName = providerName
        self.keyVariable = keyVariable
    }

    /// The streamed Messages request.
    public func httpRequest(for request: ModelRequest) -> HTTPRequest {
        let extra = [HTTPHeader("anthropic-version", Self.apiVersion)] + endpoint.headers(authorization: "x-api-key")
        return HTTPRequest(
            method: "POST", url: endpoint.baseURL + "/messages", headers: jsonHeaders(extra),
            body: body(for: request).bodyParts())
    }

    /// A fresh Messages stream decoder.
    public func makeDecoder() -> AnthropicDecoder {
        AnthropicDecoder(provider: providerName)
    }

    func body(for request: ModelRequest) -> WireJSON {
        let settings = request.settings
        // `max_tokens` is mandatory here; Claude 3 models cap output at 4096 tokens.
        let defaultMax =
            request.model.hasPrefix("claude-3-") && !request.model.hasPrefix("claude-3-5")
                && !request.model.hasPrefix("claude-3-7") ? 4096 : 8192
        let caching = request.cache != nil
        let system = systemText(of: request.messages).map { text -> WireJSON in
            caching ? .array([Self.cached(textBlock(text))]) : .string(text)
        }
        var messages = encodeMessages(request.messages)
        if caching { messages = Self.markCacheBreakpoints(messages) }
        var pairs: [(String, WireJSON?)] = [
            ("model", .string(request.model)),
            ("max_tokens", .int(settings.maxTokens ?? defaultMax)),
            ("system", system),
            ("messages", .array(messages)),
            ("stream", .bool(true)),
            ("temperature", settings.temperature.map(WireJSON.double)),
            ("top_p", settings.topP.map(WireJSON.double)),
        ]
        if !request.tools.isEmpty {
            pairs.append(
                (
                    "tools",
                    .array(
                        request.tools.enumerated().map { index, tool in
                            let block = WireJSON.object([
                                ("name", .string(tool.name)), ("description", .string(tool.description)),
                                ("input_schema", .json(tool.parameters)),
                            ])
                            return caching && index == request.tools.count - 1 ? Self.cached(block) : block
                        })
                ))
        }
        return merge(extraBody: settings.extraBody, into: .object(dropping: pairs))
    }

    /// Messages alternate user/assistant; tool results travel in a user message, and consecutive
    /// messages of one role are merged so all results of a parallel batch sit in one message.
    func encodeMessages(_ messages: [Message]) -> [WireJSON] {
        var merged: [(role: String, blocks: [WireJSON])] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            // Results first: Anthropic wants tool_result blocks at the start of the user turn.
            let results = message.parts.filter { if case .toolResult = $0 { true } else { false } }
            let others = message.parts.filter { if case .toolResult = $0 { false } else { true } }
            let blocks = (results + others).compactMap { encodeBlock($0, role: message.role) }
            guard !blocks.isEmpty else { continue }
            if let last = merged.last, last.role == role {
                merged[merged.count - 1].blocks += blocks
            } else {
                merged.append((role, blocks))
            }
        }
        return merged.map { .object([("role", .string($0.role)), ("content", .array($0.blocks))]) }
    }

    func encodeBlock(_ part: ContentPart, role: Role) -> WireJSON? {
        switch part {
        case .text(let text):
            return text.isEmpty ? nil : textBlock(text)
        case .toolCall(let call):
            return .object([
                ("type", .string("tool_use")), ("id", .string(call.id)), ("name", .string(call.name)),
                ("input", .json(WireToolArguments.object(call.arguments))),
            ])
        case .toolResult(let result):
            return .object(dropping: [
                ("type", .string("tool_result")), ("tool_use_id", .string(result.callID)),
                ("content", .string(result.content)), ("is_error", result.isError ? .bool(true) : nil),
            ])
        case .image(let media) where role != .assistant && MediaEncoding.isCommonImage(media.mimeType):
            return .object([("type", .string("image")), ("source", base64Source(media))])
        case .file(let media) where role != .assistant && MediaEncoding.isPDF(media.mimeType):
            return .object([("type", .string("document")), ("source", base64Source(media))])
        case .image(let media):
            return notice(.image, media, "accepts only PNG, JPEG, GIF and WebP images from the user")
        case .audio(let media):
            return notice(.audio, media, "does not accept audio input (a transcript could be sent instead)")
        case .video(let media):
            return notice(.video, media, "does not accept video (send extracted frames as images instead)")
        case .file(let media):
            return notice(.file, media, "reads only PDF documents natively (read text files with read_file)")
        }
    }

    /// `block` with an ephemeral `cache_control` breakpoint: the prompt up to it is cached.
    static func cached(_ block: WireJSON) -> WireJSON {
        guard case .object(let pairs) = block else { return block }
        return .object(pairs + [("cache_control", .object([("type", .string("ephemeral"))]))])
    }

    /// Breakpoints on the first message (task and repository: the prefix every run of an agent
    /// shares) and on the newest one (so the next turn reads the whole conversation from the
    /// cache). With the tools and the system prompt that makes four, Anthropic's maximum.
    static func markCacheBreakpoints(_ messages: [WireJSON]) -> [WireJSON] {
        var marked = messages
        for index in Set([0, messages.count - 1]) where messages.indices.contains(index) {
            guard case .object(var pairs) = marked[index],
                let content = pairs.firstIndex(where: { $0.0 == "content" }),
                case .array(var blocks) = pairs[content].1, let last = blocks.indices.last
            else { continue }
            blocks[last] = cached(blocks[last])
            pairs[content].1 = .array(blocks)
            marked[index] = .object(pairs)
        }
        return marked
    }

    func base64Source(_ media: MediaReference) -> WireJSON {
        if let url = MediaEncoding.remoteURL(media) {
            return .object([("type", .string("url")), ("url", .string(url))])
        }
        return .object([
            ("type", .string("base64")), ("media_type", .string(media.mimeType)),
            ("data", .base64File(path: media.path, prefix: "")),
        ])
    }

    func textBlock(_ text: String) -> WireJSON {
        .object([("type", .string("text")), ("text", .string(text))])
    }

    func notice(_ kind: MediaKind, _ media: MediaReference, _ reason: String) -> WireJSON {
        textBlock(
            MediaEncoding.unsupportedNotice(kind: kind, media: media, provider: providerName, reason: reason))
    }
}
