import Foundation

/// One agent's `backend:` section, in the terms mg needs to build a `ModelBackend`.
///
/// The YAML reader fills this in; everything here has the MassGen meaning: `type` (inferred from
/// `model` when omitted), `api_key` (else the provider's environment variable), `base_url` (else
/// the type's default), sampling settings and `extra_body`.
public struct BackendConfiguration: Sendable, Hashable {
    /// The raw `type` string; `nil` infers it from `model`.
    public var type: String?
    /// The model (for Azure, the deployment name).
    public var model: String
    /// `api_key` from the config; wins over the environment.
    public var apiKey: String?
    /// `base_url`; `nil` uses the type's default.
    public var baseURL: String?
    /// Azure's `api_version`.
    public var apiVersion: String?
    /// Temperature, max tokens, top-p and `extra_body`.
    public var settings: GenerationSettings
    /// A per-agent price override (USD per million tokens).
    public var price: ModelPrice?
    /// Extra header fields for every request.
    public var extraHeaders: [HTTPHeader]
    /// `tool_mode`: how tool calls travel (default `auto`: native, text once the model shows it
    /// cannot use the provider's tool channel).
    public var toolMode: ToolMode
    /// `edit_format`: whether code blocks in a reply change files (`whole`, `diff`; default `none`).
    public var editFormat: EditFormat
    /// `context_window`: the model's context in tokens; `nil` asks a llama.cpp server (`/props`).
    public var contextWindow: Int?
    /// `stream: false`: ask a Chat Completions server for whole responses (servers that cannot
    /// stream); `nil` or `true` streams.
    public var stream: Bool?

    /// Creates a configuration.
    public init(
        type: String? = nil, model: String, apiKey: String? = nil, baseURL: String? = nil,
        apiVersion: String? = nil,
        settings: GenerationSettings = GenerationSettings(), price: ModelPrice? = nil,
        extraHeaders: [HTTPHeader] = [], toolMode: ToolMode = .auto, editFormat: EditFormat = .none,
        contextWindow: Int? = nil
    ) {
        self.toolMode = toolMode
        self.editFormat = editFormat
        self.contextWindow = contextWindow
        self.type = type
        self.model = model
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.apiVersion = apiVersion
        self.settings = settings
        self.price = price
        self.extraHeaders = extraHeaders
    }

    /// The backend type: the configured one, or the one the model name implies.
    public func resolvedType() throws(BackendConfigurationError) -> BackendType {
        if let type, !type.isEmpty {
            guard let known = BackendType(rawValue: type.lowercased()) else { throw .unknownType(type) }
            return known
        }
        guard let inferred = BackendType.inferred(fromModel: model) else {
            throw .cannotInferType(model: model)
        }
        return inferred
    }

    /// The base URL requests go to.
    public func resolvedBaseURL(
        for type: BackendType, environment: [String: String]
    ) throws(BackendConfigurationError) -> String {
        if let baseURL, !baseURL.isEmpty { return baseURL }
        if type == .azureOpenAI, let endpoint = environment["AZURE_OPENAI_ENDPOINT"], !endpoint.isEmpty {
            return endpoint
        }
        guard let fallback = type.defaultBaseURL else { throw .missingBaseURL(type) }
        return fallback
    }

    /// The API key: `api_key`, else the first set environment variable the provider uses. `nil`
    /// for local servers without a key; throws when a hosted provider has none.
    public func resolvedAPIKey(
        for type: BackendType, environment: [String: String]
    ) throws(BackendConfigurationError) -> String? {
        if let apiKey, !apiKey.isEmpty { return apiKey }
        let variables = keyVariables(for: type)
        for name in variables {
            if let value = environment[name], !value.isEmpty { return value }
        }
        if variables.isEmpty || isLocalEndpoint { return nil }
        throw .missingAPIKey(type, variables: variables)
    }

    /// The variables consulted for the key. A `chatcompletion` backend pointed at a known
    /// hosted service uses that service's variable, as MassGen does.
    public func keyVariables(for type: BackendType) -> [String] {
        guard type == .chatcompletion, let host = baseURL.flatMap({ URL(string: $0)?.host?.lowercased() })
        else {
            return type.keyVariables
        }
        let byHost: [(String, String)] = [
            ("openrouter.ai", "OPENROUTER_API_KEY"), ("groq.com", "GROQ_API_KEY"),
            ("together", "TOGETHER_API_KEY"),
            ("cerebras.ai", "CEREBRAS_API_KEY"), ("fireworks.ai", "FIREWORKS_API_KEY"),
            ("deepseek.com", "DEEPSEEK_API_KEY"),
            ("x.ai", "XAI_API_KEY"), ("z.ai", "ZAI_API_KEY"), ("moonshot", "MOONSHOT_API_KEY"),
            ("nebius", "NEBIUS_API_KEY"),
        ]
        if let match = byHost.first(where: { host.contains($0.0) }) { return [match.1] }
        return isLocalEndpoint ? [] : type.keyVariables
    }

    /// True when `base_url` points at this machine, where servers need no key.
    public var isLocalEndpoint: Bool {
        guard let host = baseURL.flatMap({ URL(string: $0)?.host?.lowercased() }) else { return false }
        return Self.isLocalHost(host)
    }

    /// True for this machine's names (`localhost`, loopback addresses, `*.local`).
    public static func isLocalHost(_ host: String) -> Bool {
        host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]" || host.hasSuffix(".local")
    }
}

/// Shows an API key without revealing it: `sk-…abcd`.
public enum APIKeyMask {
    /// The key's short leading tag (up to its first `-`, when short) and its last four characters.
    public static func mask(_ key: String?) -> String {
        guard let key, !key.isEmpty else { return "(none)" }
        guard key.count >= 12 else { return "…" + String(repeating: "*", count: 4) }
        var prefix = ""
        if let dash = key.firstIndex(of: "-"), key.distance(from: key.startIndex, to: dash) <= 4 {
            prefix = String(key[...dash])
        }
        return prefix + "…" + String(key.suffix(4))
    }
}
