import CodingAgent
import Foundation

/// An agent that is a program rather than a model API: a CLI coding agent (Claude Code, Codex,
/// aider, any command) run in its worktree, or a framework agent (AG2, LangChain) behind mg's
/// stdio adapter protocol (docs/external-agents.md).
public struct ExternalAgentSpec: Sendable, Hashable {
    /// Which program.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case claudeCode = "claude_code"
        case codex, aider, command, ag2, langchain

        /// The program run when the config names none.
        public var defaultProgram: String {
            switch self {
            case .claudeCode: "claude"
            case .codex: "codex"
            case .aider: "aider"
            case .command: ""
            case .ag2, .langchain: "python3"
            }
        }

        /// Whether the program speaks mg's adapter protocol on stdin/stdout.
        public var isAdapter: Bool { self == .ag2 || self == .langchain }

        /// Whether mg hands the program its coordination tools as an MCP server (`mg mcp`).
        public var speaksMCP: Bool { self == .claudeCode || self == .codex }

        /// How to install the program, for the "not found" error.
        public var installHint: String {
            switch self {
            case .claudeCode: "install Claude Code (npm install -g @anthropic-ai/claude-code, or pip install claude-agent-sdk, which bundles it) or set `command:` to its path"
            case .codex: "install the Codex CLI (npm install -g @openai/codex) or set `command:` to its path"
            case .aider: "pip install aider-chat, or set `command:` to its path"
            case .command: "set `argv:` to a program that exists"
            case .ag2: "pip install ag2 into the Python that `python:` names (default python3)"
            case .langchain: "pip install langchain langchain-openai into the Python that `python:` names (default python3)"
            }
        }

        /// The Python module the adapter imports (checked before the session starts).
        public var adapterModule: String? {
            switch self {
            case .ag2: "ag2"
            case .langchain: "langchain_openai"
            default: nil
            }
        }

        /// The kind of a backend type, `nil` for API backends.
        public init?(_ type: BackendType) {
            self.init(rawValue: type.rawValue)
        }
    }

    /// Which program.
    public var kind: Kind
    /// The executable (`command:` for CLIs, `python:` for adapters); defaults per kind.
    public var program: String
    /// `argv:` of a `command` agent (after the program), with `{task_file}`, `{context_file}`,
    /// `{worktree}`, `{agent}` substituted; extra arguments of the other kinds.
    public var arguments: [String]
    /// Variables added to the program's environment (`env:`).
    public var environment: [String: String]
    /// The model the program should use, if the config names one.
    public var model: String?
    /// An OpenAI-compatible endpoint (aider, adapters).
    public var baseURL: String?
    /// An API key written in the config (never logged); else the provider's variable is passed on.
    public var apiKey: String?
    /// Claude Code's `permission_mode` (default `bypassPermissions`: the worktree is its sandbox).
    public var permissionMode: String?
    /// Claude Code's `allowed_tools` / `disallowed_tools`.
    public var allowedTools: [String]
    public var disallowedTools: [String]
    /// Claude Code's `system_prompt` (appended to mg's instructions).
    public var systemPrompt: String?
    /// Claude Code's `max_turns`; the adapters' step limit.
    public var maxTurns: Int?
    /// MCP servers handed to a CLI that speaks MCP, next to mg's own.
    public var mcpServers: [MCPServerSpec]

    /// Creates a spec; `program` defaults to the kind's.
    public init(
        kind: Kind, program: String? = nil, arguments: [String] = [], environment: [String: String] = [:],
        model: String? = nil, baseURL: String? = nil, apiKey: String? = nil, permissionMode: String? = nil,
        allowedTools: [String] = [], disallowedTools: [String] = [], systemPrompt: String? = nil, maxTurns: Int? = nil,
        mcpServers: [MCPServerSpec] = []
    ) {
        self.kind = kind
        self.program = program ?? kind.defaultProgram
        self.arguments = arguments
        self.environment = environment
        self.model = model
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.permissionMode = permissionMode
        self.allowedTools = allowedTools
        self.disallowedTools = disallowedTools
        self.systemPrompt = systemPrompt
        self.maxTurns = maxTurns
        self.mcpServers = mcpServers
    }

    /// What the live view and the records call it: `claude_code(claude-sonnet-4-5)`.
    public var displayName: String { "\(kind.rawValue)(\(model ?? program))" }
}

/// An external agent cannot run; raised before any worktree exists.
public enum ExternalAgentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program is not installed.
    case programNotFound(agent: String, program: String, hint: String)
    /// An adapter's Python cannot import its framework.
    case frameworkMissing(agent: String, python: String, module: String, hint: String)

    public var description: String {
        switch self {
        case .programNotFound(let agent, let program, let hint):
            return "Agent \(agent) needs \(program), which is not installed (not found on PATH).\nHint: \(hint)."
        case .frameworkMissing(let agent, let python, let module, let hint):
            return "Agent \(agent) needs the Python module \(module), which \(python) cannot import.\nHint: \(hint)."
        }
    }
}

/// The model-API side of an external agent: it has none. Used only where a session asks every
/// agent for a backend (mg review), which then fails with this explanation.
struct ExternalAgentBackend: ModelBackend {
    let spec: ExternalAgentSpec

    var displayName: String { spec.displayName }

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        let message = "\(spec.kind.rawValue) agents run as programs in their worktrees and cannot answer model requests; "
            + "use API agents for this command."
        return AsyncThrowingStream { $0.finish(throwing: BackendError.badRequest(provider: spec.kind.rawValue, status: 0, message: message)) }
    }
}
