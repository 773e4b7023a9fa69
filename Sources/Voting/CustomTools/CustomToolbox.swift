import CodingAgent
import Foundation

/// The custom tools of a session's agents: described once before anything is created (so a
/// missing file or function, an import error or a bad schema stops the session with exit 65),
/// then offered to each agent as `CustomPythonTool`s running in its worktree.
enum CustomToolbox {
    /// Bytes of a bridge run's output kept (the reply is the last line; the tool cuts the text
    /// it shows the model itself).
    static let outputLimit = 2_000_000

    /// The tool definitions of every agent's `customTools`, in agent order. Each agent's tools
    /// are loaded by the bridge in a scratch folder, in the sandbox commands get.
    static func describe(_ agents: [AgentSpec], settings: CommandSettings) async throws(OrchestratorError)
        -> [[ToolDefinition]]
    {
        var definitions: [[ToolDefinition]] = []
        for agent in agents {
            guard !agent.customTools.isEmpty else {
                definitions.append([])
                continue
            }
            definitions.append(try await describe(agent, settings: settings))
        }
        return definitions
    }

    private static func describe(_ agent: AgentSpec, settings: CommandSettings)
        async throws(OrchestratorError)
        -> [ToolDefinition]
    {
        let specs = agent.customTools
        let scratch = NSTemporaryDirectory() + "mg-custom-tools-\(UUID().uuidString.prefix(8))"
        let reply: CustomToolBridge.Reply
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let list = "[" + specs.map { $0.bridgeJSON(agent: agent.id) }.joined(separator: ",") + "]"
            let runner = CommandRunner(settings: runnerSettings(for: agent, base: settings))
            reply = try await CustomToolBridge.run(
                ["describe", list], runner: runner, in: scratch, timeout: .seconds(60))
        } catch {
            throw .invalidAgents(failure(agent, "the bridge could not be started: \(error)"))
        }
        switch reply.outcome {
        case .result(let object):
            if case .string(let problem) = object["error"] ?? .null {
                throw .invalidAgents(failure(agent, problem))
            }
            guard case .array(let tools) = object["tools"] ?? .null, tools.count == specs.count else {
                throw .invalidAgents(failure(agent, "the bridge gave no tool descriptions. \(reply.printed)"))
            }
            var definitions: [ToolDefinition] = []
            for (spec, tool) in zip(specs, tools) {
                guard case .object(let fields) = tool, let parameters = fields["parameters"] else {
                    throw .invalidAgents(failure(agent, "\(spec.offeredName): the bridge gave no schema"))
                }
                if let problem = CustomToolSpec.schemaProblem(parameters) {
                    throw .invalidAgents(
                        failure(agent, "\(spec.offeredName): its parameter schema is unusable: \(problem)"))
                }
                let summary = fields["description"]?.stringValue ?? spec.function
                definitions.append(
                    ToolDefinition(name: spec.offeredName, description: summary, parameters: parameters))
            }
            return definitions
        case .timedOut:
            throw .invalidAgents(failure(agent, "loading the tools took longer than 60 s. \(reply.printed)"))
        case .noResult(let status):
            throw .invalidAgents(
                failure(agent, "python3 ended without describing them (\(status)). \(reply.printed)"))
        }
    }

    private static func failure(_ agent: AgentSpec, _ problem: String) -> String {
        "The custom tools of agent \(agent.id) cannot be used: \(problem.trimmingCharacters(in: .whitespacesAndNewlines))\n"
            + "Hint: check `path` and `function` under its backend's custom_tools; mg loads them with python3 in its sandbox "
            + "(docs/configuration.md, Custom tools)."
    }

    /// The runner settings of an agent's custom tools: its command settings, the tool files'
    /// folders visible read-only, and room for large results.
    static func runnerSettings(for agent: AgentSpec, base: CommandSettings) -> CommandSettings {
        var settings = agent.commandLine?.applied(to: base) ?? base
        // The policy is run_command's; the bridge itself is mg's own command.
        settings.policy = .unrestricted
        settings.outputLimitBytes = outputLimit
        for folder in agent.customTools.compactMap(\.folder) where !settings.readOnlyBinds.contains(folder) {
            settings.readOnlyBinds.append(folder)
        }
        return settings
    }

    /// The agent's custom tools, ready to register.
    static func tools(
        for agent: AgentSpec, definitions: [ToolDefinition], settings: CommandSettings,
        warn: @escaping @Sendable (String) -> Void
    ) -> [any AgentTool] {
        guard !definitions.isEmpty else { return [] }
        let runner = CommandRunner(settings: runnerSettings(for: agent, base: settings), warn: warn)
        return zip(agent.customTools, definitions).map { spec, definition in
            CustomPythonTool(spec: spec, definition: definition, runner: runner, agent: agent.id)
        }
    }
}
