import CodingAgent
import Foundation

extension MassGenConfigurationParser {
    /// A `backend:` whose `type` is a program (claude_code, codex, aider, command) or a framework
    /// adapter (ag2, langchain): `model` is optional, the program's own keys are read.
    mutating func readExternalBackend(
        _ value: YAMLValue, kind: ExternalAgentSpec.Kind, id: String, systemMessage: String?,
        contextPaths: inout [ContextPath]
    ) throws(ConfigurationError) -> AgentConfiguration {
        var spec = ExternalAgentSpec(kind: kind)
        var argv: [String]?
        var customTools: [CustomToolSpec] = []
        let entries = try value.entries()
        // mg's own tools reach the program over `mg mcp`: its run_command takes the command-line
        // policy, and custom tools are offered there too (as MassGen offers them to Claude Code).
        let commandLine = try readCommandLine(entries)
        for (key, item) in entries where !Self.commandLineKeys.contains(key) {
            switch key {
            case "type": break
            case "model": spec.model = try item.string()
            case "base_url": spec.baseURL = try item.string()
            case "api_key": spec.apiKey = try item.string()
            case "command", "python", "executable": spec.program = try item.string()
            case "argv": argv = try nonEmptyStrings(item)
            case "args", "extra_args": spec.arguments = try item.stringList()
            case "env":
                for (name, entry) in try item.entries() { spec.environment[name] = try entry.string() }
            case "permission_mode": spec.permissionMode = try item.string()
            case "allowed_tools": spec.allowedTools = try item.stringList()
            case "disallowed_tools": spec.disallowedTools = try item.stringList()
            case "system_prompt", "append_system_prompt": spec.systemPrompt = try item.string()
            case "max_turns":
                let turns = try item.int()
                guard turns >= 1 else { throw item.invalid("a whole number of at least 1") }
                spec.maxTurns = turns
            case "mcp_servers": spec.mcpServers = try readMCPServers(item)
            case "custom_tools": customTools = try readCustomTools(item)
            case "exclude_tools": warn(item, "the program's own tools are its own: use disallowed_tools")
            case "agent_config": try readAG2AgentConfig(item, into: &spec)
            case "group_config": try readAG2GroupConfig(item, into: &spec)
            case "cwd": warn(item, "each mg agent works in its own git worktree", kind: .notNeeded)
            case "context_paths": contextPaths += try readContextPaths(item)
            default: warn(item)
            }
        }
        if kind == .command {
            guard let argv, let program = argv.first else {
                throw .missingKey(
                    value.location, path: value.path + ".argv",
                    hint: "a command agent needs `argv: [program, arg, …]`; {task_file}, {context_file}, {worktree} and {agent} are replaced.")
            }
            spec.program = program
            spec.arguments = Array(argv.dropFirst())
        } else if argv != nil {
            warn(value, "`argv` is for type: command")
        }
        if kind.isAdapter, spec.model == nil {
            throw .missingKey(
                value.location, path: value.path + ".model",
                hint:
                    "an \(kind.rawValue) agent drives a model through an OpenAI-compatible API: name it, e.g. `model: gpt-4o-mini` (and `base_url`), or in `agent_config.llm_config` as MassGen writes it."
            )
        }
        var backend = BackendConfiguration(type: kind.rawValue, model: spec.model ?? "")
        backend.baseURL = spec.baseURL
        var agent = AgentConfiguration(
            id: id, backend: backend, backendType: BackendType(rawValue: kind.rawValue) ?? .command,
            apiKeySource: spec.apiKey == nil ? "the program's own" : "config", systemMessage: systemMessage)
        agent.external = spec
        agent.customTools = customTools
        agent.commandLine = commandLine
        return agent
    }

    /// MassGen's AG2 `agent_config: {llm_config: {model, base_url, api_key} | [..]}`: the model
    /// and endpoint the adapter uses, and the agent's system message; mg's adapter builds one
    /// assistant that runs code through mg's sandboxed `run_command`.
    private mutating func readAG2AgentConfig(_ value: YAMLValue, into spec: inout ExternalAgentSpec) throws(ConfigurationError) {
        for (key, item) in try value.entries() {
            switch key {
            case "llm_config": try readLLMConfigList(item, into: &spec)
            case "system_message": if spec.systemPrompt == nil { spec.systemPrompt = try item.string() }
            case "name": break  // AG2's display name of the agent; mg names it by its `id`.
            case "type":
                if try item.string() != "assistant" { warn(item, "mg's AG2 adapter runs an assistant agent") }
            case "code_execution_config":
                warn(
                    item, "mg's AG2 assistant runs code through mg's sandboxed run_command", kind: .notNeeded)
            default: warn(item, "mg's AG2 adapter builds its own assistant")
            }
        }
    }

    /// MassGen's AG2 `group_config`: its default `llm_config` drives mg's single assistant; the
    /// group chat itself (its agents, pattern and manager) is not run.
    private mutating func readAG2GroupConfig(_ value: YAMLValue, into spec: inout ExternalAgentSpec)
        throws(ConfigurationError)
    {
        for (key, item) in try value.entries() {
            if key == "llm_config" {
                try readLLMConfigList(item, into: &spec)
            } else {
                warn(item, "mg's AG2 adapter runs one assistant, not a group chat")
            }
        }
    }

    /// An `llm_config` mapping, or a list of them (the first is used).
    private mutating func readLLMConfigList(_ item: YAMLValue, into spec: inout ExternalAgentSpec)
        throws(ConfigurationError)
    {
        if case .sequence = item.node {
            let entries = try item.items()
            guard let first = entries.first else { return }
            try readLLMConfig(first, into: &spec)
            for extra in entries.dropFirst() { warn(extra, "mg's AG2 adapter uses the first llm_config") }
        } else {
            try readLLMConfig(item, into: &spec)
        }
    }

    /// One `llm_config` (or `config_list` entry): model, base_url, api_key.
    private mutating func readLLMConfig(_ config: YAMLValue, into spec: inout ExternalAgentSpec) throws(ConfigurationError) {
        for (field, entry) in try config.entries() {
            switch field {
            case "config_list":
                if let first = try entry.items().first { try readLLMConfig(first, into: &spec) }
            case "model": if spec.model == nil { spec.model = try entry.string() }
            case "base_url": if spec.baseURL == nil { spec.baseURL = try entry.string() }
            case "api_key": if spec.apiKey == nil { spec.apiKey = try entry.string() }
            case "api_type":
                let kind = try entry.string().lowercased()
                if kind == "openai" {
                    warn(entry, "mg's AG2 adapter speaks the OpenAI API", kind: .notNeeded)
                } else {
                    warn(
                        entry,
                        "mg's AG2 adapter drives the model through an OpenAI-compatible API (base_url); api_type \(kind) is not mapped"
                    )
                }
            case "temperature", "cache_seed":
                warn(
                    entry, "mg's AG2 adapter samples at temperature 0 without AG2's cache", kind: .unsupported
                )
            default: warn(entry)
            }
        }
    }

    /// `mcp_servers` in MassGen's two shapes: a mapping of name → settings, or a list of
    /// settings with `name`.
    mutating func readMCPServers(_ value: YAMLValue) throws(ConfigurationError) -> [MCPServerSpec] {
        var servers: [MCPServerSpec] = []
        switch value.node {
        case .sequence:
            for item in try value.items() {
                guard let name = try item.entries().first(where: { $0.key == "name" })?.value.string(), !name.isEmpty else {
                    throw .missingKey(
                        item.location, path: item.path + ".name", hint: "each server in a list of mcp_servers needs a `name`.")
                }
                servers.append(try readMCPServer(item, name: name))
            }
        case .mapping:
            for (name, item) in try value.entries() { servers.append(try readMCPServer(item, name: name)) }
        default:
            throw value.invalid("a list of servers or a mapping of server names to settings")
        }
        var seen: Set<String> = []
        for server in servers where !seen.insert(server.name).inserted {
            throw value.invalid("servers with distinct names (\"\(server.name)\" appears twice)")
        }
        return servers
    }

    private mutating func readMCPServer(_ value: YAMLValue, name: String) throws(ConfigurationError) -> MCPServerSpec {
        var type: String?
        var command: String?
        var arguments: [String] = []
        var environment: [String: String] = [:]
        var directory: String?
        var url: String?
        var headers: [String: String] = [:]
        var allowed: Set<String>?
        var excluded: Set<String> = []
        var timeout = Duration.seconds(60)
        var startTimeout = Duration.seconds(30)
        for (key, item) in try value.entries() {
            switch key {
            case "name": break
            case "type", "transport": type = try item.string().lowercased()
            case "command": command = try item.string()
            case "args": arguments = try item.stringList()
            case "env":
                for (variable, entry) in try item.entries() { environment[variable] = try entry.string() }
            case "cwd": directory = resolvePath(try item.string())
            case "url": url = try item.string()
            case "headers":
                for (header, entry) in try item.entries() { headers[header] = try entry.string() }
            case "allowed_tools": allowed = Set(try item.stringList())
            case "exclude_tools": excluded = Set(try item.stringList())
            case "timeout", "timeout_seconds", "tool_timeout": timeout = .milliseconds(Int64(try positive(item) * 1000))
            case "startup_timeout", "startup_timeout_seconds": startTimeout = .milliseconds(Int64(try positive(item) * 1000))
            case "security":
                let level = try item.entries().first { $0.key == "level" }?.value.string()
                if level == "permissive" {
                    warn(
                        item,
                        "mg applies no checks to MCP server settings, so the permissive level changes nothing",
                        kind: .notNeeded)
                } else {
                    warn(item, "mg does not apply MassGen's MCP security checks; servers run as configured")
                }
            default: warn(item)
            }
        }
        let transport: MCPServerSpec.Transport
        switch (type ?? (url != nil ? "streamable-http" : "stdio"), command, url) {
        case ("stdio", let command?, _):
            transport = .stdio(command: command, arguments: arguments, environment: environment, workingDirectory: directory)
        case ("stdio", nil, _):
            throw .missingKey(value.location, path: value.path + ".command", hint: "a stdio MCP server needs the `command` that starts it.")
        case ("streamable-http", _, let url?), ("http", _, let url?), ("streamable_http", _, let url?):
            transport = .http(url: url, headers: headers)
        case ("streamable-http", _, nil), ("http", _, nil), ("streamable_http", _, nil):
            throw .missingKey(value.location, path: value.path + ".url", hint: "an HTTP MCP server needs its `url`.")
        case (let other, _, _):
            throw .invalidValue(value.location, path: value.path + ".type", expected: "stdio or streamable-http", found: "\"\(other)\"")
        }
        return MCPServerSpec(
            name: name, transport: transport, allowedTools: allowed, excludedTools: excluded, callTimeout: timeout,
            startTimeout: startTimeout)
    }
}

/// MassGen's backend-level `allowed_tools` / `exclude_tools` name MCP tools as
/// `mcp__<server>__<tool>`; mg also accepts `<server>__<tool>`, the name it offers them under.
enum MCPToolFilters {
    /// `servers` with the backend-level filters applied. An `allowed_tools` list that names no
    /// MCP tool at all filters only mg's own tools.
    static func apply(allowed: [String]?, excluded: [String], to servers: [MCPServerSpec]) -> [MCPServerSpec] {
        func toolName(_ entry: String, server: String) -> String? {
            for prefix in ["mcp__\(server)__", "\(server)__"] where entry.hasPrefix(prefix) {
                return String(entry.dropFirst(prefix.count))
            }
            return nil
        }
        let namesMCP = (allowed ?? []).contains { $0.hasPrefix("mcp__") || $0.contains("__") }
        return servers.map { server in
            var server = server
            server.excludedTools.formUnion(excluded.compactMap { toolName($0, server: server.name) })
            if let allowed, namesMCP {
                let mine = Set(allowed.compactMap { toolName($0, server: server.name) })
                server.allowedTools = server.allowedTools.map { $0.intersection(mine) } ?? mine
            }
            return server
        }
    }
}
