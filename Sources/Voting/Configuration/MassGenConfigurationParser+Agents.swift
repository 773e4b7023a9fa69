import CodingAgent
import Foundation
import GitWorkspace

extension MassGenConfigurationParser {
    /// Reads one entry of `agents:` (or the `agent:` mapping).
    mutating func readAgent(
        _ value: YAMLValue, index: Int, contextPaths: inout [ContextPath]
    ) throws(ConfigurationError) -> AgentConfiguration {
        var id = "agent\(index + 1)"
        var idValue: YAMLValue?
        var systemMessage: String?
        var backendValue: YAMLValue?
        var timeoutSeconds: Double?
        var appended: String?
        for (key, item) in try value.entries() {
            switch key {
            case "id":
                id = try item.string()
                idValue = item
            case "system_message": systemMessage = try item.string()
            case "append_system_prompt":
                // MassGen reads it only under a Claude Code backend; here it plainly extends the agent's instructions.
                appended = try item.string()
            case "timeout_seconds": timeoutSeconds = try positive(item)
            case "backend": backendValue = item
            default: warn(item)
            }
        }
        do {
            try AgentWorktree.validateIdentifier(id, kind: "agent")
        } catch {
            throw (idValue ?? value).invalid("1–64 letters, digits, '-', '_' or '.' (it names the agent's branch)")
        }
        guard let backendValue else {
            throw .missingKey(
                value.location, path: value.path + ".backend",
                hint: "give the agent a `backend:` with at least a `model`, e.g. `backend: {type: openai, model: gpt-5}`.")
        }
        if let appended {
            systemMessage = [systemMessage, appended].compactMap { $0 }.joined(separator: "\n\n")
        }
        var agent = try readBackend(backendValue, id: id, systemMessage: systemMessage, contextPaths: &contextPaths)
        agent.timeoutSeconds = timeoutSeconds
        return agent
    }

    private mutating func readBackend(
        _ value: YAMLValue, id: String, systemMessage: String?, contextPaths: inout [ContextPath]
    ) throws(ConfigurationError) -> AgentConfiguration {
        if let entry = try value.entries().first(where: { $0.key == "type" }),
            let kind = ExternalAgentSpec.Kind(rawValue: try entry.value.string())
        {
            return try readExternalBackend(value, kind: kind, id: id, systemMessage: systemMessage, contextPaths: &contextPaths)
        }
        var type: String?
        var typeValue: YAMLValue?
        var model: String?
        var configuration = BackendConfiguration(model: "")
        var allowedTools: [String]?
        var excludedTools: [String] = []
        var mediaLimit: Double?
        var scriptPath: String?
        var uploads: [UploadFile] = []
        var mcpServers: [MCPServerSpec] = []
        var customTools: [CustomToolSpec] = []
        // Provider extras whose meaning depends on the type, settled once the type is known.
        var extras: [(key: String, value: YAMLValue)] = []
        var streamValue: YAMLValue?
        let entries = try value.entries()
        // The type first: an unknown type is the problem to report, not a missing model.
        if let given = entries.first(where: { $0.key == "type" }) {
            let text = try given.value.string()
            if !text.isEmpty, BackendType(rawValue: text.lowercased()) == nil {
                throw .backend(
                    given.value.location, path: given.value.path, BackendConfigurationError.unknownType(text))
            }
        }
        let commandLine = try readCommandLine(entries)
        for (key, item) in entries where !Self.commandLineKeys.contains(key) {
            switch key {
            case "type":
                type = try item.string()
                typeValue = item
            case "model": model = try item.string()
            case "api_key": configuration.apiKey = try item.string()
            case "base_url": configuration.baseURL = try item.httpURL()
            case "api_version": configuration.apiVersion = try item.string()
            case "temperature": configuration.settings.temperature = try item.double()
            case "max_tokens": configuration.settings.maxTokens = try item.int()
            case "top_p": configuration.settings.topP = try item.double()
            case "extra_body":
                guard case .object(let object) = try item.json() else { throw item.invalid("a mapping") }
                configuration.settings.extraBody.merge(object) { _, new in new }
            case "tool_mode": configuration.toolMode = try choice(item, ToolMode.self)
            case "edit_format": configuration.editFormat = try choice(item, EditFormat.self)
            case "context_window": configuration.contextWindow = try item.int()
            case "stream":
                configuration.stream = try item.bool()
                streamValue = item
            case "pricing": configuration.price = try readPrice(item)
            case "allowed_tools": allowedTools = try item.stringList()
            case "exclude_tools": excludedTools = try item.stringList()
            case "media_max_file_size_mb": mediaLimit = try item.double()
            case "script": scriptPath = resolvePath(try item.string())
            case "upload_files": uploads += try readUploadFiles(item)
            case "cwd": warn(item, "each mg agent works in its own git worktree", kind: .notNeeded)
            case "context_paths": contextPaths += try readContextPaths(item)
            case "mcp_servers": mcpServers = try readMCPServers(item)
            case "custom_tools": customTools = try readCustomTools(item)
            default: extras.append((key, item))
            }
        }
        guard let model, !model.isEmpty else {
            throw .missingKey(
                value.location, path: value.path + ".model",
                hint: "name the model, e.g. `model: gpt-5`, `model: claude-sonnet-4-20250514` or your deployment name.")
        }
        configuration.model = model
        configuration.type = type
        let resolvedType: BackendType
        let typeSite = typeValue ?? value
        do {
            resolvedType = try configuration.resolvedType()
        } catch {
            throw .backend(typeSite.location, path: typeSite.path, error)
        }
        if resolvedType.family == .scripted, scriptPath == nil {
            throw .missingKey(
                value.location, path: value.path + ".script",
                hint: "a scripted agent replays recorded turns: add `script: FILE.json` (format: docs/scripted-backend.md).")
        }
        try applyExtras(extras, type: resolvedType, to: &configuration)
        if configuration.stream == false, resolvedType.family != .openAIChat, let streamValue {
            warn(streamValue, "only Chat Completions backends can run without streaming; this one streams")
            configuration.stream = nil
        }
        let keySource = try keySource(for: configuration, type: resolvedType, at: value)
        var agent = AgentConfiguration(
            id: id, backend: configuration, backendType: resolvedType, apiKeySource: keySource,
            systemMessage: systemMessage, allowedTools: allowedTools, excludedTools: excludedTools,
            mediaMaxFileSizeMB: mediaLimit, scriptPath: scriptPath, uploadFiles: uploads)
        agent.mcpServers = MCPToolFilters.apply(allowed: allowedTools, excluded: excludedTools, to: mcpServers)
        agent.customTools = customTools
        agent.commandLine = commandLine
        return agent
    }

    /// `text`/`reasoning` go to OpenAI's Responses API as given; sampling extras of local
    /// OpenAI-compatible servers (vLLM, SGLang, …) go into the body as MassGen sends them.
    private mutating func applyExtras(
        _ extras: [(key: String, value: YAMLValue)], type: BackendType, to configuration: inout BackendConfiguration
    ) throws(ConfigurationError) {
        let responsesKeys: Set<String> = ["text", "reasoning"]
        let localSamplingKeys: Set<String> = [
            "top_k", "min_p", "repetition_penalty", "chat_template_kwargs", "presence_penalty", "frequency_penalty", "seed",
        ]
        for (key, item) in extras {
            let passes = (type == .openai && responsesKeys.contains(key))
                || (type.family == .openAIChat && localSamplingKeys.contains(key))
            if passes {
                configuration.settings.extraBody[key] = try item.json()
            } else if responsesKeys.contains(key) || localSamplingKeys.contains(key) {
                warn(item, "\(type.rawValue) does not take `\(key)`")
            } else {
                warn(item)
            }
        }
    }

    private func keySource(
        for configuration: BackendConfiguration, type: BackendType, at value: YAMLValue
    ) throws(ConfigurationError) -> String {
        if let key = configuration.apiKey, !key.isEmpty { return "config" }
        do {
            guard try configuration.resolvedAPIKey(for: type, environment: environment) != nil else { return "none needed" }
        } catch {
            if case .missingAPIKey(_, let variables) = error, type.family == .openAIChat,
                let host = configuration.baseURL.flatMap({ URL(string: $0)?.host?.lowercased() }),
                host != URL(string: type.defaultBaseURL ?? "")?.host
            {
                // An OpenAI-compatible host (Nebius, Fireworks, …): name it, not OpenAI.
                throw .missingHostKey(
                    value.location, path: value.path, provider: HostedProviders.name(host: host),
                    host: host, variables: variables)
            }
            throw .backend(value.location, path: value.path, error)
        }
        let variables = configuration.keyVariables(for: type)
        return variables.first { !(environment[$0] ?? "").isEmpty }.map { "$" + $0 } ?? "environment"
    }

    /// One of an enumeration's raw values, or an error listing them.
    private func choice<Choice: RawRepresentable & CaseIterable>(
        _ value: YAMLValue, _ type: Choice.Type
    ) throws(ConfigurationError) -> Choice where Choice.RawValue == String {
        let text = try value.string()
        guard let found = Choice(rawValue: text.lowercased()) else {
            throw value.invalid("one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return found
    }

}
