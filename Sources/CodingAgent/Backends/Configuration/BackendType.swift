import Foundation

/// The backend `type` names of MassGen configs, plus mg's own `scripted`.
public enum BackendType: String, Sendable, Hashable, CaseIterable, Codable {
    /// OpenAI Responses API (MassGen's `openai`).
    case openai
    /// Any OpenAI Chat Completions server (`base_url` decides which).
    case chatcompletion
    /// Anthropic Messages.
    case claude
    /// Google Gemini.
    case gemini
    /// Azure OpenAI Chat Completions (deployment URL, `api-key` header).
    case azureOpenAI = "azure_openai"
    /// xAI Grok (Chat Completions).
    case grok
    /// LM Studio's local server (Chat Completions).
    case lmstudio
    /// vLLM's OpenAI-compatible server.
    case vllm
    /// SGLang's OpenAI-compatible server.
    case sglang
    /// Z.ai GLM models (Chat Completions).
    case zai
    /// Ollama's OpenAI-compatible endpoint.
    case ollama
    /// llama.cpp's `llama-server`.
    case llamacpp
    /// mg's file-driven backend for tests and demos.
    case scripted
    /// The Claude Code CLI, run as an agent in its worktree (mg's ExternalAgents).
    case claudeCode = "claude_code"
    /// An AG2 agent through mg's stdio adapter.
    case ag2
    /// The Codex CLI (`codex exec --json`), run as an agent in its worktree.
    case codex
    /// aider, run as an agent in its worktree.
    case aider
    /// Any program, run as an agent in its worktree (`argv` template).
    case command
    /// A LangChain agent through mg's stdio adapter.
    case langchain

    /// Which wire format a type speaks.
    public enum WireFamily: Sendable, Hashable {
        case openAIResponses, openAIChat, anthropic, gemini, scripted, external
    }

    /// The wire format this type speaks.
    public var family: WireFamily {
        switch self {
        case .openai: .openAIResponses
        case .chatcompletion, .azureOpenAI, .grok, .lmstudio, .vllm, .sglang, .zai, .ollama, .llamacpp:
            .openAIChat
        case .claude: .anthropic
        case .gemini: .gemini
        case .scripted: .scripted
        case .claudeCode, .ag2, .codex, .aider, .command, .langchain: .external
        }
    }

    /// The base URL used when the config gives none; `nil` when one is required (Azure).
    public var defaultBaseURL: String? {
        switch self {
        case .openai, .chatcompletion: "https://api.openai.com/v1"
        case .claude: "https://api.anthropic.com/v1"
        case .gemini: "https://generativelanguage.googleapis.com/v1beta"
        case .grok: "https://api.x.ai/v1"
        case .zai: "https://api.z.ai/api/paas/v4"
        case .lmstudio: "http://localhost:1234/v1"
        case .vllm: "http://localhost:8000/v1"
        case .sglang: "http://localhost:30000/v1"
        case .ollama: "http://localhost:11434/v1"
        case .llamacpp: "http://localhost:8080/v1"
        case .azureOpenAI, .scripted, .claudeCode, .ag2, .codex, .aider, .command, .langchain: nil
        }
    }

    /// Environment variables holding the key, in lookup order; empty for local servers.
    public var keyVariables: [String] {
        switch self {
        case .openai, .chatcompletion: ["OPENAI_API_KEY"]
        case .claude: ["ANTHROPIC_API_KEY"]
        case .gemini: ["GEMINI_API_KEY", "GOOGLE_API_KEY"]
        case .azureOpenAI: ["AZURE_OPENAI_API_KEY"]
        case .grok: ["XAI_API_KEY"]
        case .zai: ["ZAI_API_KEY"]
        case .lmstudio, .vllm, .sglang, .ollama, .llamacpp, .scripted, .claudeCode, .ag2, .codex, .aider, .command, .langchain: []
        }
    }

    /// The provider's name as users know it, for errors and logs.
    public var providerName: String {
        switch self {
        case .openai, .chatcompletion: "OpenAI"
        case .claude: "Anthropic"
        case .gemini: "Gemini"
        case .azureOpenAI: "Azure OpenAI"
        case .grok: "xAI"
        case .zai: "Z.ai"
        case .lmstudio: "LM Studio"
        case .vllm: "vLLM"
        case .sglang: "SGLang"
        case .ollama: "Ollama"
        case .llamacpp: "llama.cpp"
        case .scripted: "scripted"
        case .claudeCode: "Claude Code"
        case .ag2: "AG2"
        case .codex: "Codex"
        case .aider: "aider"
        case .command: "command"
        case .langchain: "LangChain"
        }
    }

    /// Whether the type runs on the user's machine (no key, no cost).
    public var isLocal: Bool {
        [.lmstudio, .vllm, .sglang, .ollama, .llamacpp, .scripted].contains(self)
    }

    /// The type a model name implies, as MassGen infers it when `type` is omitted; `nil` when
    /// the name says nothing (then the config must name the type).
    public static func inferred(fromModel model: String) -> BackendType? {
        let name = model.lowercased()
        let rules: [(prefixes: [String], type: BackendType)] = [
            (["gpt-", "o1", "o3", "o4", "chatgpt-", "codex-", "computer-use-"], .openai),
            (["claude-"], .claude),
            (["gemini-", "models/gemini-"], .gemini),
            (["grok-"], .grok),
            (["glm-"], .zai),
            (["scripted"], .scripted),
        ]
        for rule in rules where rule.prefixes.contains(where: { name.hasPrefix($0) }) {
            return rule.type
        }
        return nil
    }
}
