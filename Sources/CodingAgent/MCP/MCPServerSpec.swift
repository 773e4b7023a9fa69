/// One MCP server an agent may use (MassGen's `mcp_servers` entry): how to reach it, which of
/// its tools to offer, and how long a call may take.
public struct MCPServerSpec: Sendable, Hashable {
    /// How mg talks to the server.
    public enum Transport: Sendable, Hashable {
        /// A program mg starts, speaking JSON-RPC lines on stdin/stdout. `workingDirectory`
        /// `nil` means the agent's worktree.
        case stdio(command: String, arguments: [String], environment: [String: String], workingDirectory: String?)
        /// A streamable-HTTP endpoint (`url`), with extra request headers (e.g. `Authorization`).
        case http(url: String, headers: [String: String])
    }

    /// The server's name: tools are offered as `<name>__<tool>`.
    public var name: String
    /// How to reach it.
    public var transport: Transport
    /// When set, only these tools (the server's own names) are offered.
    public var allowedTools: Set<String>?
    /// Tools never offered (the server's own names).
    public var excludedTools: Set<String>
    /// Longest wait for one tool call, default 60 s.
    public var callTimeout: Duration
    /// Longest wait for the server to start and answer MCP's handshake, default 30 s.
    public var startTimeout: Duration

    /// Creates a spec.
    public init(
        name: String, transport: Transport, allowedTools: Set<String>? = nil, excludedTools: Set<String> = [],
        callTimeout: Duration = .seconds(60), startTimeout: Duration = .seconds(30)
    ) {
        self.startTimeout = startTimeout
        self.name = name
        self.transport = transport
        self.allowedTools = allowedTools
        self.excludedTools = excludedTools
        self.callTimeout = callTimeout
    }

    /// The name a tool of this server is offered under: `<server>__<tool>`, limited to the
    /// characters every provider accepts in tool names (letters, digits, `_`, `-`; 64 at most).
    public func offeredName(of tool: String) -> String {
        let raw = "\(name)__\(tool)"
        let cleaned = String(raw.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" ? $0 : "_" })
        return String(cleaned.prefix(64))
    }

    /// Whether the filters let `tool` through.
    public func offers(_ tool: String) -> Bool {
        if excludedTools.contains(tool) { return false }
        if let allowedTools { return allowedTools.contains(tool) }
        return true
    }
}

/// An MCP server could not be used; each case names the server and what to fix.
public enum MCPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's command does not exist.
    case commandNotFound(server: String, command: String)
    /// The server could not be started, or ended before it answered.
    case startFailed(server: String, reason: String)
    /// The server wrote something that is not JSON-RPC on stdout.
    case garbage(server: String, line: String)
    /// The server did not answer in time.
    case timedOut(server: String, operation: String, seconds: Double)
    /// The server answered with an error.
    case protocolError(server: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .commandNotFound(let server, let command):
            return "MCP server \"\(server)\": its command \(command) was not found on PATH. "
                + "Install it, or give the full path in `command`."
        case .startFailed(let server, let reason):
            return "MCP server \"\(server)\" could not be started: \(reason)"
        case .garbage(let server, let line):
            return "MCP server \"\(server)\" printed something that is not an MCP message on stdout: "
                + "\"\(line.prefix(120))\". A stdio server must write only JSON-RPC lines to stdout (logs go to stderr)."
        case .timedOut(let server, let operation, let seconds):
            let setting = operation == "initialize" ? "startup_timeout" : "timeout"
            return "MCP server \"\(server)\" did not answer \(operation) within \(seconds.formatted()) s "
                + "(raise `\(setting)` in its mcp_servers entry)."
        case .protocolError(let server, let operation, let message):
            return "MCP server \"\(server)\" refused \(operation): \(message)"
        }
    }
}
