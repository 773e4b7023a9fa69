import Foundation

/// OpenAI Chat Completions (`POST {base}/chat/completions`, `stream: true`), also spoken by every
/// OpenAI-compatible server: Ollama, vLLM, llama.cpp, LM Studio, SGLang, OpenRouter, xAI, Z.ai,
/// and Azure OpenAI (deployment URL, `api-key` header).
public struct OpenAIChatFormat: ProviderWireFormat {
    /// Which dialect of the Chat Completions API to speak.
    public enum Flavor: Sendable, Hashable {
        /// `Authorization: Bearer <key>`, `{base}/chat/completions`.
        case standard
        /// Azure OpenAI: `api-key: <key>`, `{base}/openai/deployments/{model}/chat/completions?api-version=`.
        case azure(apiVersion: String)
    }

    /// The provider's display name in errors.
    public var providerName: String
    /// The environment variable named in authentication errors.
    public var keyVariable: String?
    /// Where to send requests and with which key.
    public var endpoint: ProviderEndpoint
    /// Standard or Azure.
    public var flavor: Flavor
    /// The prompt-cache controls this server understands.
    public var promptCache: PromptCacheDialect
    /// `stream: true` (default), or whole responses for servers that cannot stream.
    public var streams = true

    /// Which prompt-cache controls a Chat Completions server understands.
    public enum PromptCacheDialect: Sendable, Hashable {
        /// None are sent.
        case none
        /// OpenAI's `prompt_cache_key` (api.openai.com).
        case openAI
        /// llama.cpp's `cache_prompt` and `id_slot` (sent when the request names a slot) and its
        /// `GET /props` (context size, slots). Local servers are asked; others do not answer it.
        case llamaCpp
    }

    /// Creates the format for one endpoint.
    public init(
        endpoint: ProviderEndpoint, providerName: String = "OpenAI", keyVariable: String? = "OPENAI_API_KEY",
        flavor: Flavor = .standard, promptCache: PromptCacheDialect = .none
    ) {
        self.endpoint = endpoint
        self.providerName = providerName
        self.keyVariable = keyVariable
        self.flavor = flavor
        self.promptCache = promptCache
    }

    /// llama.cpp's `GET /props` (beside `/v1`), asked of local servers only.
    public func propertiesRequest() -> HTTPRequest? {
        guard promptCache == .llamaCpp else { return nil }
        var root = endpoint.baseURL
        if root.hasSuffix("/v1") { root.removeLast(3) }
        return HTTPRequest(method: "GET", url: root + "/props", headers: headers())
    }

    /// `default_generation_settings.n_ctx` (one slot's context) and `total_slots`.
    public func decodeProperties(_ json: JSONValue) -> ServerProperties? {
        let window = (json["default_generation_settings"]?["n_ctx"] ?? json["n_ctx"])?.wireInt
        let slots = json["total_slots"]?.wireInt
        guard window != nil || slots != nil else { return nil }
        return ServerProperties(contextWindow: window, slots: slots)
    }

    /// The streamed Chat Completions request.
    public func httpRequest(for request: ModelRequest) -> HTTPRequest {
        HTTPRequest(
            method: "POST", url: url(for: request.model), headers: headers(),
            body: body(for: request).bodyParts())
    }

    /// A fresh Chat Completions stream decoder.
    public func makeDecoder() -> OpenAIChatDecoder {
        OpenAIChatDecoder(provider: providerName)
    }

    func url(for model: String) -> String {
        switch flavor {
        case .standard:
            return endpoint.baseURL + "/chat/completions"
        case .azure(let apiVersion):
            let deployment =
                endpoint.baseURL.contains("/openai/deployments/")
                ? endpoint.baseURL : endpoint.baseURL + "/openai/deployments/" + model
            return deployment + "/chat/completions?api-version=" + apiVersion
        }
    }

    func headers() -> [HTTPHeader] {
        switch flavor {
        case .standard: return jsonHeaders(endpoint.headers(authorization: "Authorization") { "Bearer " + $0 })
        case .azure: return jsonHeaders(endpoint.headers(authorization: "api-key"))
        }
    }

    /// The JSON body; public to the module for unit tests.
    func body(for request: ModelRequest) -> WireJSON {
        let settings = request.settings
        // Reasoning models on api.openai.com reject `max_tokens`; compatible servers expect it.
        let reasoningModel = ["o1", "o3", "o4", "gpt-5"].contains { request.model.hasPrefix($0) }
        var pairs: [(String, WireJSON?)] = [
            ("model", .string(request.model)),
            ("messages", .array(request.messages.flatMap(encode))),
            ("stream", .bool(streams)),
            ("stream_options", streams ? .object([("include_usage", .bool(true))]) : nil),
            ("temperature", settings.temperature.map(WireJSON.double)),
            ("top_p", settings.topP.map(WireJSON.double)),
            (reasoningModel ? "max_completion_tokens" : "max_tokens", settings.maxTokens.map(WireJSON.int)),
        ]
        if !request.tools.isEmpty {
            pairs.append(("tools", .array(request.tools.map(encodeTool))))
        }
        switch (promptCache, request.cache) {
        case (.openAI, let hint?):
            pairs.append(("prompt_cache_key", .string(hint.key)))
        case (.llamaCpp, let hint?) where hint.slot != nil:
            pairs += [("cache_prompt", .bool(true)), ("id_slot", hint.slot.map(WireJSON.int))]
        default:
            break
        }
        return merge(extraBody: settings.extraBody, into: .object(dropping: pairs))
    }

    func encodeTool(_ tool: ToolDefinition) -> WireJSON {
        .object([
            ("type", .string("function")),
            (
                "function",
                .object([
                    ("name", .string(tool.name)),
                    ("description", .string(tool.description)),
                    ("parameters", .json(tool.parameters)),
                ])
            ),
        ])
    }

    /// One conversation message becomes one or more wire messages: each tool result is its own
    /// `role: tool` message, and media that came back from a tool follows as a user message.
    func encode(_ message: Message) -> [WireJSON] {
        var out: [WireJSON] = []
        var rest: [ContentPart] = []
        for part in message.parts {
            if case .toolResult(let result) = part {
                out.append(
                    .object([
                        ("role", .string("tool")),
                        ("tool_call_id", .string(result.callID)),
                        ("content", .string(result.content)),
                    ]))
            } else {
                rest.append(part)
            }
        }
        switch message.role {
        case .system:
            out.append(.object([("role", .string("system")), ("content", .string(message.text))]))
        case .assistant:
            let calls = rest.compactMap { part -> WireJSON? in
                guard case .toolCall(let call) = part else { return nil }
                return .object([
                    ("id", .string(call.id)), ("type", .string("function")),
                    (
                        "function",
                        .object([("name", .string(call.name)), ("arguments", .string(call.arguments))])
                    ),
                ])
            }
            let text = rest.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
            var pairs: [(String, WireJSON)] = [
                ("role", .string("assistant")), ("content", text.isEmpty ? .null : .string(text)),
            ]
            if !calls.isEmpty { pairs.append(("tool_calls", .array(calls))) }
            if !text.isEmpty || !calls.isEmpty { out.append(.object(pairs)) }
        case .user, .tool:
            let content = rest.compactMap(encodeUserPart)
            guard !content.isEmpty else { break }
            if content.count == 1, rest.count == 1, case .text(let text) = rest[0] {
                out.append(.object([("role", .string("user")), ("content", .string(text))]))
            } else {
                out.append(.object([("role", .string("user")), ("content", .array(content))]))
            }
        }
        return out
    }

    func encodeUserPart(_ part: ContentPart) -> WireJSON? {
        if let (kind, media) = part.media, kind != .image, let url = MediaEncoding.remoteURL(media) {
            return textPart(
                MediaEncoding.unsupportedNotice(
                    kind: kind, media: media, provider: providerName,
                    reason: "takes only images by URL (\(url) was not downloaded)"))
        }
        switch part {
        case .text(let text):
            return textPart(text)
        case .image(let media):
            return .object([
                ("type", .string("image_url")),
                (
                    "image_url",
                    .object([
                        ("url", MediaEncoding.source(media, prefix: MediaEncoding.dataURIPrefix(media)))
                    ])
                ),
            ])
        case .audio(let media):
            guard let format = MediaEncoding.openAIAudioFormat(media.mimeType) else {
                return textPart(
                    MediaEncoding.unsupportedNotice(
                        kind: .audio, media: media, provider: providerName,
                        reason: "accepts only WAV and MP3 audio"))
            }
            return .object([
                ("type", .string("input_audio")),
                (
                    "input_audio",
                    .object([
                        ("data", .base64File(path: media.path, prefix: "")), ("format", .string(format)),
                    ])
                ),
            ])
        case .video(let media):
            return textPart(
                MediaEncoding.unsupportedNotice(
                    kind: .video, media: media, provider: providerName,
                    reason: "Chat Completions does not accept video (send extracted frames as images instead)"
                ))
        case .file(let media):
            guard MediaEncoding.isPDF(media.mimeType) else {
                return textPart(
                    MediaEncoding.unsupportedNotice(
                        kind: .file, media: media, provider: providerName,
                        reason: "reads only PDF documents natively (read text files with read_file)"))
            }
            return .object([
                ("type", .string("file")),
                (
                    "file",
                    .object([
                        ("filename", .string(MediaEncoding.fileName(media))),
                        (
                            "file_data",
                            .base64File(path: media.path, prefix: MediaEncoding.dataURIPrefix(media))
                        ),
                    ])
                ),
            ])
        case .toolCall(let call):
            // A tool call in a user message cannot be expressed; keep it visible as text.
            return textPart("[tool call \(call.name)(\(call.arguments))]")
        case .toolResult:
            return nil
        }
    }

    func textPart(_ text: String) -> WireJSON {
        .object([("type", .string("text")), ("text", .string(text))])
    }
}
