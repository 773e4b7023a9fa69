import CodingAgent
import Foundation

/// How one run of an external agent is started: program, arguments, environment, what goes
/// to its stdin, and how its stdout reads.
struct ExternalCommandLine: Sendable {
    /// What mg hands the program for one run.
    struct Inputs: Sendable {
        var agent: String
        var worktree: String
        /// The prompt: instructions, task and the other answers.
        var prompt: String
        var taskFile: String
        var contextFile: String
        /// The folder of this agent's run files (histories of programs that keep them).
        var runFolder: String
        /// `mg mcp` for CLIs that speak MCP: the mg executable, the socket and the agent's token.
        var coordination: (mg: String, socket: String, token: String)?
        /// Where the adapters' Python files were written.
        var adapterFolder: String
        /// mg's environment (the program's base environment).
        var environment: [String: String]
    }

    var launch: LineProcess.Launch
    /// Written to stdin (then closed), unless the program speaks the adapter protocol.
    var stdin: String?
    var format: AgentOutputParser.Format

    /// The command line for `spec` and `inputs`.
    static func make(_ spec: ExternalAgentSpec, _ inputs: Inputs) -> ExternalCommandLine {
        // The user's own program needs its own credentials (no other secret), and never another
        // repository's git.
        var environment = ExternalAgentCredentials.environment(for: spec.kind, from: inputs.environment)
        environment.merge(spec.environment) { _, new in new }
        environment["MG_AGENT"] = inputs.agent
        environment["MG_TASK_FILE"] = inputs.taskFile
        environment["MG_CONTEXT_FILE"] = inputs.contextFile
        environment["MG_WORKTREE"] = inputs.worktree
        var arguments: [String]
        var stdin: String? = inputs.prompt
        var format = AgentOutputParser.Format.text
        switch spec.kind {
        case .claudeCode:
            format = .claudeStreamJSON
            arguments = ["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", spec.permissionMode ?? Self.defaultPermissionMode]
            if let model = spec.model { arguments += ["--model", model] }
            if let turns = spec.maxTurns { arguments += ["--max-turns", String(turns)] }
            if !spec.allowedTools.isEmpty { arguments += ["--allowedTools", spec.allowedTools.joined(separator: ",")] }
            if !spec.disallowedTools.isEmpty { arguments += ["--disallowedTools", spec.disallowedTools.joined(separator: ",")] }
            if let prompt = spec.systemPrompt { arguments += ["--append-system-prompt", prompt] }
            if let config = claudeMCPConfig(spec, inputs) { arguments += ["--mcp-config", config] }
        case .codex:
            format = .codexJSON
            arguments = ["exec", "--json", "--skip-git-repo-check", "--full-auto", "-C", inputs.worktree]
            if let model = spec.model { arguments += ["--model", model] }
            if let coordination = inputs.coordination {
                arguments += [
                    "-c", "mcp_servers.mg.command=\(toml(coordination.mg))",
                    "-c", "mcp_servers.mg.args=[\(mcpArguments(inputs).map(toml).joined(separator: ", "))]",
                    "-c", "mcp_servers.mg.env={MG_MCP_TOKEN=\(toml(coordination.token))}",
                ]
            }
            arguments.append("-")
        case .aider:
            format = .aiderText
            stdin = nil
            arguments = [
                "--message-file", inputs.contextFile, "--yes-always", "--no-auto-commits", "--no-dirty-commits",
                "--no-gitignore", "--no-check-update", "--no-show-release-notes", "--no-analytics", "--no-pretty",
                "--no-fancy-input", "--map-tokens", "0", "--no-restore-chat-history", "--no-show-model-warnings",
                "--chat-history-file", inputs.runFolder + "/aider.chat.md",
                "--input-history-file", inputs.runFolder + "/aider.input.history",
                "--llm-history-file", inputs.runFolder + "/aider.llm.history",
            ]
            if let model = spec.model { arguments += ["--model", spec.baseURL != nil && !model.contains("/") ? "openai/" + model : model] }
            if let base = spec.baseURL { arguments += ["--openai-api-base", base] }
            if let key = spec.apiKey { environment["OPENAI_API_KEY"] = key }
            if spec.baseURL != nil, (environment["OPENAI_API_KEY"] ?? "").isEmpty { environment["OPENAI_API_KEY"] = "not-needed" }
        case .command:
            arguments = []
        case .ag2, .langchain:
            stdin = nil
            arguments = [inputs.adapterFolder + "/\(spec.kind.rawValue)_adapter.py"]
            // Adapters are mg's code running the user's framework: only the key they need.
            environment = EnvironmentScrubber.scrub(environment)
            environment["OPENAI_API_KEY"] = spec.apiKey ?? inputs.environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? "not-needed"
        }
        arguments += spec.arguments.map { substitute($0, inputs) }
        return ExternalCommandLine(
            launch: LineProcess.Launch(
                executable: spec.program, arguments: arguments, environment: environment, workingDirectory: inputs.worktree),
            stdin: stdin, format: format)
    }

    /// `bypassPermissions` (the worktree is the agent's sandbox), except as root, where Claude
    /// Code refuses it: then `acceptEdits`.
    static var defaultPermissionMode: String { geteuid() == 0 ? "acceptEdits" : "bypassPermissions" }

    /// The arguments of `mg mcp` for this agent.
    static func mcpArguments(_ inputs: Inputs) -> [String] {
        guard let coordination = inputs.coordination else { return [] }
        return ["mcp", "--socket", coordination.socket, "--agent", inputs.agent]
    }

    /// `--mcp-config` JSON: mg's coordination server plus the agent's own `mcp_servers`.
    static func claudeMCPConfig(_ spec: ExternalAgentSpec, _ inputs: Inputs) -> String? {
        var servers: [String: JSONValue] = [:]
        if let coordination = inputs.coordination {
            servers["mg"] = .object([
                "type": .string("stdio"), "command": .string(coordination.mg),
                "args": .array(mcpArguments(inputs).map { .string($0) }),
                "env": .object(["MG_MCP_TOKEN": .string(coordination.token)]),
            ])
        }
        for server in spec.mcpServers {
            switch server.transport {
            case .stdio(let command, let arguments, let environment, _):
                servers[server.name] = .object([
                    "type": .string("stdio"), "command": .string(command), "args": .array(arguments.map { .string($0) }),
                    "env": .object(environment.mapValues { .string($0) }),
                ])
            case .http(let url, let headers):
                servers[server.name] = .object([
                    "type": .string("http"), "url": .string(url), "headers": .object(headers.mapValues { .string($0) }),
                ])
            }
        }
        guard !servers.isEmpty else { return nil }
        return JSONValue.object(["mcpServers": .object(servers)]).jsonText
    }

    static func substitute(_ argument: String, _ inputs: Inputs) -> String {
        argument.replacingOccurrences(of: "{task_file}", with: inputs.taskFile)
            .replacingOccurrences(of: "{context_file}", with: inputs.contextFile)
            .replacingOccurrences(of: "{worktree}", with: inputs.worktree)
            .replacingOccurrences(of: "{agent}", with: inputs.agent)
    }

    /// A TOML basic string.
    static func toml(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
