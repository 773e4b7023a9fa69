/// The services behind OpenAI-compatible hosts, by a fragment of the host name: what a message
/// about a missing key calls the provider (the key variables come from `BackendConfiguration`).
enum HostedProviders {
    /// Host fragment → service name, first match wins.
    static let names: [(fragment: String, name: String)] = [
        ("openrouter.ai", "OpenRouter"), ("groq.com", "Groq"), ("together", "Together AI"),
        ("cerebras.ai", "Cerebras"),
        ("fireworks.ai", "Fireworks"), ("deepseek.com", "DeepSeek"), ("x.ai", "xAI"), ("z.ai", "Z.ai"),
        ("moonshot", "Moonshot"), ("nebius", "Nebius"), ("dashscope", "Alibaba Cloud (DashScope)"),
        ("openai.azure.com", "Azure OpenAI"), ("openai.com", "OpenAI"),
    ]

    /// The service at `host`, or `nil` when it is not a known one.
    static func name(host: String) -> String? {
        names.first { host.contains($0.fragment) }?.name
    }
}
