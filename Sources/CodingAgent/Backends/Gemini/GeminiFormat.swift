import Foundation

/// Gemini `POST {base}/models/{model}:streamGenerateContent?alt=sse`: `contents` of `user`/`model`
/// turns with `text`, `inline_data`, `functionCall` and `functionResponse` parts, a separate
/// `systemInstruction`, `generationConfig`, and the `x-goog-api-key` header.
public struct GeminiFormat: ProviderWireFormat {
    /// The provider's display name in errors.
    public var providerName: String
    /// The environment variable named in authentication errors.
    public var keyVariable: String?
    /// Where to send requests and with which key.
    public var endpoint: ProviderEndpoint

    /// Creates the format for one endpoint.
    public init(
        endpoint: ProviderEndpoint, providerName: String = "Gemini", keyVariable: String? = "GEMINI_API_KEY"
    ) {
        self.endpoint = endpoint
        self.providerName = providerName
        self.keyVariable = keyVariable
    }

    /// The streamed `streamGenerateContent` request.
    public func httpRequest(for request: ModelRequest) -> HTTPRequest {
        let extra = endpoint.headers(authorization: "x-goog-api-key")
        let model = request.model.hasPrefix("models/") ? String(request.model.dropFirst(7)) : request.model
        let url = endpoint.baseURL + "/models/" + model + ":streamGenerateContent?alt=sse"
        return HTTPRequest(
            method: "POST", url: url, headers: jsonHeaders(extra), body: body(for: request).bodyParts())
    }

    /// A fresh Gemini stream decoder.
    public func makeDecoder() -> GeminiDecoder {
        GeminiDecoder(provider: providerName)
    }

    func body(for request: ModelRequest) -> WireJSON {
        let settings = request.settings
        let generation = WireJSON.object(dropping: [
            ("temperature", settings.temperature.map(WireJSON.double)),
            ("topP", settings.topP.map(WireJSON.double)),
            ("maxOutputTokens", settings.maxTokens.map(WireJSON.int)),
        ])
        var pairs: [(String, WireJSON?)] = [
            ("contents", .array(encodeContents(request.messages))),
            (
                "systemInstruction",
                systemText(of: request.messages).map { text in
                    .object([("parts", .array([.object([("text", .string(text))])]))])
                }
            ),
        ]
        if case .object(let fields) = generation, !fields.isEmpty {
            pairs.append(("generationConfig", generation))
        }
        if !request.tools.isEmpty {
            let declarations = request.tools.map { tool in
                WireJSON.object([
                    ("name", .string(tool.name)), ("description", .string(tool.description)),
                    ("parameters", .json(tool.parameters)),
                ])
            }
            pairs.append(("tools", .array([.object([("functionDeclarations", .array(declarations))])])))
        }
        return merge(extraBody: settings.extraBody, into: .object(dropping: pairs))
    }

    /// Consecutive messages of one role are merged, so the `functionResponse` parts answering a
    /// parallel batch of calls travel together in one `user` turn, as Gemini expects.
    func encodeContents(_ messages: [Message]) -> [WireJSON] {
        var merged: [(role: String, parts: [WireJSON])] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "model" : "user"
            let parts = message.parts.compactMap { encodePart($0, role: message.role) }
            guard !parts.isEmpty else { continue }
            if let last = merged.last, last.role == role {
                merged[merged.count - 1].parts += parts
            } else {
                merged.append((role, parts))
            }
        }
        return merged.map { .object([("role", .string($0.role)), ("parts", .array($0.parts))]) }
    }

    func encodePart(_ part: ContentPart, role: Role) -> WireJSON? {
        switch part {
        case .text(let text):
            return text.isEmpty ? nil : .object([("text", .string(text))])
        case .toolCall(let call):
            return .object([
                (
                    "functionCall",
                    .object([
                        ("name", .string(call.name)),
                        ("args", .json(WireToolArguments.object(call.arguments))),
                    ])
                )
            ])
        case .toolResult(let result):
            // `response` must be an object: a JSON object result is sent as is, anything else wrapped.
            let response: JSONValue
            if let parsed = JSONValue.parse(result.content), case .object = parsed {
                response = parsed
            } else {
                response = .object([result.isError ? "error" : "content": .string(result.content)])
            }
            return .object([
                (
                    "functionResponse",
                    .object([("name", .string(result.name)), ("response", .json(response))])
                )
            ])
        case .image(let media), .audio(let media), .video(let media), .file(let media):
            guard role != .assistant else {
                return .object([("text", .string("[\(MediaEncoding.fileName(media))]"))])
            }
            if let url = MediaEncoding.remoteURL(media) {
                let reason =
                    "takes media by URL only after an upload through its File API; \(url) was not downloaded"
                return .object([
                    (
                        "text",
                        .string(
                            MediaEncoding.unsupportedNotice(
                                kind: Self.kind(of: part), media: media, provider: providerName,
                                reason: reason))
                    )
                ])
            }
            guard Self.acceptsInline(media.mimeType) else {
                return .object([
                    (
                        "text",
                        .string(
                            MediaEncoding.unsupportedNotice(
                                kind: Self.kind(of: part), media: media, provider: providerName,
                                reason: "does not accept \(media.mimeType) content"))
                    )
                ])
            }
            return .object([
                (
                    "inline_data",
                    .object([
                        ("mime_type", .string(media.mimeType)),
                        ("data", .base64File(path: media.path, prefix: "")),
                    ])
                )
            ])
        }
    }

    /// Images, audio, video, PDF and text documents go inline; other binary formats do not.
    static func acceptsInline(_ mimeType: String) -> Bool {
        let mime = mimeType.lowercased()
        return mime.hasPrefix("image/") || mime.hasPrefix("audio/") || mime.hasPrefix("video/")
            || mime.hasPrefix("text/") || mime == "application/pdf"
    }

    static func kind(of part: ContentPart) -> MediaKind {
        switch part {
        case .image: .image
        case .audio: .audio
        case .video: .video
        default: .file
        }
    }
}
