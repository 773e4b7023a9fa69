import Foundation

/// OpenAI Responses API (`POST {base}/responses`, `stream: true`), MassGen's `openai` type.
///
/// System messages become `instructions`; the conversation becomes `input` items: role messages
/// with `input_text`/`input_image`/`input_file` (or `output_text` for the assistant), plus
/// `function_call` and `function_call_output` items for tools. Requests are stateless
/// (`store: false`): the whole conversation is sent each time, as with the other providers.
public struct OpenAIResponsesFormat: ProviderWireFormat {
    /// The provider's display name in errors.
    public var providerName: String
    /// The environment variable named in authentication errors.
    public var keyVariable: String?
    /// Where to send requests and with which key.
    public var endpoint: ProviderEndpoint
    /// Whether requests carry `prompt_cache_key` (OpenAI's own API takes it).
    public var sendsPromptCacheKey: Bool

    /// Creates the format for one endpoint.
    public init(
        endpoint: ProviderEndpoint, providerName: String = "OpenAI", keyVariable: String? = "OPENAI_API_KEY",
        sendsPromptCacheKey: Bool = true
    ) {
        self.endpoint = endpoint
        self.providerName = providerName
        self.keyVariable = keyVariable
        self.sendsPromptCacheKey = sendsPromptCacheKey
    }

    /// The streamed Responses request.
    public func httpRequest(for request: ModelRequest) -> HTTPRequest {
        let extra = endpoint.headers(authorization: "Authorization") { "Bearer " + $0 }
        return HTTPRequest(
            method: "POST", url: endpoint.baseURL + "/responses", headers: jsonHeaders(extra),
            body: body(for: request).bodyParts())
    }

    /// A fresh Responses stream decoder.
    public func makeDecoder() -> OpenAIResponsesDecoder {
        OpenAIResponsesDecoder(provider: providerName)
    }

    func body(for request: ModelRequest) -> WireJSON {
        let settings = request.settings
        var pairs: [(String, WireJSON?)] = [
            ("model", .string(request.model)),
            ("instructions", systemText(of: request.messages).map(WireJSON.string)),
            ("input", .array(request.messages.filter { $0.role != .system }.flatMap(encode))),
            ("stream", .bool(true)),
            ("store", .bool(false)),
            ("temperature", settings.temperature.map(WireJSON.double)),
            ("top_p", settings.topP.map(WireJSON.double)),
            ("max_output_tokens", settings.maxTokens.map(WireJSON.int)),
            ("prompt_cache_key", sendsPromptCacheKey ? request.cache.map { WireJSON.string($0.key) } : nil),
        ]
        if !request.tools.isEmpty {
            pairs.append(
                (
                    "tools",
                    .array(
                        request.tools.map { tool in
                            .object([
                                ("type", .string("function")), ("name", .string(tool.name)),
                                ("description", .string(tool.description)),
                                ("parameters", .json(tool.parameters)),
                            ])
                        })
                ))
        }
        return merge(extraBody: settings.extraBody, into: .object(dropping: pairs))
    }

    /// One message becomes input items in order: content runs become role messages, tool calls
    /// become `function_call` items and results `function_call_output` items.
    func encode(_ message: Message) -> [WireJSON] {
        let role = message.role == .assistant ? "assistant" : "user"
        var items: [WireJSON] = []
        var content: [WireJSON] = []
        func flushContent() {
            if !content.isEmpty {
                items.append(.object([("role", .string(role)), ("content", .array(content))]))
                content = []
            }
        }
        for part in message.parts {
            switch part {
            case .toolCall(let call):
                flushContent()
                items.append(
                    .object([
                        ("type", .string("function_call")), ("call_id", .string(call.id)),
                        ("name", .string(call.name)), ("arguments", .string(call.arguments)),
                    ]))
            case .toolResult(let result):
                flushContent()
                items.append(
                    .object([
                        ("type", .string("function_call_output")), ("call_id", .string(result.callID)),
                        ("output", .string(result.content)),
                    ]))
            case .text(let text):
                content.append(
                    .object([
                        ("type", .string(message.role == .assistant ? "output_text" : "input_text")),
                        ("text", .string(text)),
                    ]))
            case .image(let media), .audio(let media), .video(let media), .file(let media):
                content.append(
                    message.role == .assistant
                        ? .object([
                            ("type", .string("output_text")),
                            ("text", .string("[\(MediaEncoding.fileName(media))]")),
                        ])
                        : encodeMedia(part, media))
            }
        }
        flushContent()
        return items
    }

    func encodeMedia(_ part: ContentPart, _ media: MediaReference) -> WireJSON {
        switch part {
        case .image:
            return .object([
                ("type", .string("input_image")),
                ("image_url", MediaEncoding.source(media, prefix: MediaEncoding.dataURIPrefix(media))),
            ])
        case .file where MediaEncoding.isPDF(media.mimeType):
            return .object([
                ("type", .string("input_file")), ("filename", .string(MediaEncoding.fileName(media))),
                MediaEncoding.remoteURL(media).map { ("file_url", WireJSON.string($0)) }
                    ?? (
                        "file_data", .base64File(path: media.path, prefix: MediaEncoding.dataURIPrefix(media))
                    ),
            ])
        case .audio:
            return notice(
                .audio, media,
                "the Responses API does not accept audio input (use the chatcompletion type with an audio model)"
            )
        case .video:
            return notice(
                .video, media,
                "the Responses API does not accept video (send extracted frames as images instead)")
        default:
            return notice(.file, media, "reads only PDF documents natively (read text files with read_file)")
        }
    }

    func notice(_ kind: MediaKind, _ media: MediaReference, _ reason: String) -> WireJSON {
        .object([
            ("type", .string("input_text")),
            (
                "text",
                .string(
                    MediaEncoding.unsupportedNotice(
                        kind: kind, media: media, provider: providerName, reason: reason))
            ),
        ])
    }
}
