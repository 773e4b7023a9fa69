import Foundation

/// Builds the `ModelBackend` an agent's `backend:` section asks for.
public struct BackendFactory: Sendable {
    /// Builds `scripted` backends (the scripted backend lives with its own helper code).
    public typealias ScriptedMaker = @Sendable (BackendConfiguration) throws -> any ModelBackend

    /// The HTTP client every backend uses.
    public var transport: any HTTPTransport
    /// Where API keys and endpoint variables are read (the process environment in production).
    public var environment: [String: String]
    /// Per-attempt deadlines.
    public var limits: TransferLimits
    /// Retry behaviour.
    public var retry: RetryPolicy
    /// The maker for `type: scripted`; `nil` makes that type an error.
    public var scripted: ScriptedMaker?

    /// Creates a factory.
    public init(
        transport: any HTTPTransport = LibcurlTransport(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        limits: TransferLimits = TransferLimits(), retry: RetryPolicy = RetryPolicy(),
        scripted: ScriptedMaker? = nil
    ) {
        self.transport = transport
        self.environment = environment
        self.limits = limits
        self.retry = retry
        self.scripted = scripted
    }

    /// The backend for `configuration`, or an error saying which setting to fix.
    public func makeBackend(_ configuration: BackendConfiguration) throws -> any ModelBackend {
        let type = try configuration.resolvedType()
        switch type.family {
        case .external:
            throw BackendConfigurationError.unsupportedType(
                type,
                reason: "it runs as a program in the agent's worktree, not through a model API "
                    + "(the orchestrator runs it; mg review needs API agents).")
        case .scripted:
            guard let scripted else { throw BackendConfigurationError.scriptedUnavailable }
            return try scripted(configuration)
        case .openAIChat:
            return streaming(try chatFormat(configuration, type: type), label: type.rawValue, configuration)
        case .openAIResponses:
            let (endpoint, key) = (try endpoint(configuration, type: type), configuration.keyVariables(for: type).first)
            let official = URL(string: endpoint.baseURL)?.host?.lowercased().hasSuffix("openai.com") ?? false
            return streaming(
                OpenAIResponsesFormat(
                    endpoint: endpoint, providerName: type.providerName, keyVariable: key, sendsPromptCacheKey: official),
                label: "openai", configuration)
        case .anthropic:
            let (endpoint, key) = (try endpoint(configuration, type: type), configuration.keyVariables(for: type).first)
            return streaming(
                AnthropicFormat(endpoint: endpoint, providerName: type.providerName, keyVariable: key),
                label: "claude", configuration)
        case .gemini:
            let (endpoint, key) = (try endpoint(configuration, type: type), configuration.keyVariables(for: type).first)
            return streaming(
                GeminiFormat(endpoint: endpoint, providerName: type.providerName, keyVariable: key),
                label: "gemini", configuration)
        }
    }

    /// A streaming backend speaking `format`, named `label(model)` in logs and the live view.
    private func streaming<Format: ProviderWireFormat>(
        _ format: Format, label: String, _ configuration: BackendConfiguration
    ) -> any ModelBackend {
        StreamingBackend(
            format: format, transport: transport, limits: limits, retry: retry,
            displayName: "\(label)(\(configuration.model))")
    }

    /// The price to bill this configuration's calls at: its own `pricing`, else the model's price
    /// in `table`, else free for a local type or a server on this machine, else `nil` (unknown:
    /// reported as unpriced).
    public func price(for configuration: BackendConfiguration, table: PriceTable = .standard) -> ModelPrice? {
        if let price = configuration.price { return price }
        // A known model costs what it costs whatever the host (a local proxy to a hosted model
        // is billed, so --max-cost stops it); an unknown model on this machine is free.
        if let known = table.price(for: configuration.model) { return known }
        if let type = try? configuration.resolvedType(), type.isLocal || configuration.isLocalEndpoint {
            return .free
        }
        return nil
    }

    func endpoint(_ configuration: BackendConfiguration, type: BackendType) throws -> ProviderEndpoint {
        ProviderEndpoint(
            baseURL: try configuration.resolvedBaseURL(for: type, environment: environment),
            apiKey: try configuration.resolvedAPIKey(for: type, environment: environment),
            extraHeaders: configuration.extraHeaders)
    }

    func chatFormat(_ configuration: BackendConfiguration, type: BackendType) throws -> OpenAIChatFormat {
        var flavor = OpenAIChatFormat.Flavor.standard
        if type == .azureOpenAI {
            let version = configuration.apiVersion ?? environment["AZURE_OPENAI_API_VERSION"] ?? "2024-10-21"
            flavor = .azure(apiVersion: version)
        }
        var name = type.providerName
        if type == .chatcompletion, let host = configuration.baseURL.flatMap({ URL(string: $0)?.host }) {
            name = host.contains("openai.com") ? "OpenAI" : "OpenAI-compatible server at \(host)"
        }
        let endpoint = try endpoint(configuration, type: type)
        let host = URL(string: endpoint.baseURL)?.host?.lowercased() ?? ""
        let promptCache: OpenAIChatFormat.PromptCacheDialect =
            type == .llamacpp || BackendConfiguration.isLocalHost(host)
            ? .llamaCpp : (type == .chatcompletion && host.hasSuffix("openai.com") ? .openAI : .none)
        var format = OpenAIChatFormat(
            endpoint: endpoint, providerName: name,
            keyVariable: configuration.keyVariables(for: type).first, flavor: flavor, promptCache: promptCache)
        format.streams = configuration.stream ?? true
        return format
    }
}
