import CodingAgent
import Foundation

/// One agent of a session, whatever runs it: mg's agent loop (`AgentRunner`) or a program
/// (`ExternalAgentRunner`).
protocol SessionAgentRunner: Sendable {
    /// Runs until the agent is done; reports how it ended to the coordinator.
    func run() async
}

/// An API agent's MCP servers: started in its worktree before its first turn, their tools
/// added to its registry, stopped when the agent ends.
enum MCPAgentTools {
    /// The registry with the servers' tools, and the toolbox to stop.
    struct Started: Sendable {
        var tools: ToolRegistry
        var toolbox: MCPToolbox?
    }

    /// Starts `spec`'s servers (none: `tools` unchanged). A server that cannot start is an
    /// `error` event naming the agent and the server, and ends this agent only.
    static func start(
        spec: AgentSpec, tools: ToolRegistry, context: ToolContextSource, events: SessionEvents
    ) async -> Result<Started, MCPClientError> {
        guard !spec.mcpServers.isEmpty else { return .success(Started(tools: tools, toolbox: nil)) }
        let folder: String
        do {
            folder = try await context.resolve().workspace.path
        } catch {
            return .failure(.startFailed(server: spec.mcpServers[0].name, reason: "the agent's worktree is not available: \(error)"))
        }
        do {
            let toolbox = try await MCPToolbox.start(
                spec.mcpServers, workingDirectory: folder,
                environment: EnvironmentScrubber.scrub(ProcessInfo.processInfo.environment))
            var registry = tools
            for tool in toolbox.tools { registry.register(tool) }
            return .success(Started(tools: registry, toolbox: toolbox))
        } catch {
            await events.emit(.error, agent: spec.id) { $0.message = "\(spec.id): \(error.description)" }
            return .failure(error)
        }
    }
}

extension Result where Success == MCPAgentTools.Started {
    /// Stops the started servers, if any.
    func stop() async {
        if case .success(let started) = self { await started.toolbox?.stop() }
    }
}

/// `list_answers()`: the current answers this agent may vote for, read-only (offered to CLI
/// agents over `mg mcp` and to adapters, which have no context rebuilt between turns).
struct ListAnswersTool: AgentTool {
    let coordinator: SessionCoordinator
    let agent: Int

    var isReadOnly: Bool { true }

    var definition: ToolDefinition {
        ToolDefinition(
            name: "list_answers",
            description: "List the current answers (anonymous ids, summaries, test results) you can vote for or build on.",
            parameters: .objectSchema([:]))
    }

    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        .success(await coordinator.answerListing(for: agent))
    }
}

extension SessionCoordinator {
    /// The current answers as `list_answers` shows them, in `agent`'s blind-ballot order.
    func answerListing(for agent: Int) -> String {
        let me = state.agents[agent].anonymousID
        let byID = Dictionary(currentAnswers.map { ($0.anonymousID, $0) }, uniquingKeysWith: { $1 })
        let others = setup.ballots.order(byID.keys.filter { $0 != me }.sorted(), viewer: agent, serial: state.answerSerial)
        let ids = (byID[me] == nil ? [] : [me]) + others
        guard !ids.isEmpty else { return "No answers yet." }
        return ids.compactMap { id -> String? in
            guard let answer = byID[id] else { return nil }
            let tests = answer.evidence.map { $0.judged.passed ? "tests pass" : "tests fail" } ?? "no tests"
            let mine = id == me ? " (yours)" : ""
            return "\(id)\(mine), answer \(answer.iteration), \(tests), \(answer.diffLines) changed lines:\n\(answer.summary)"
        }.joined(separator: "\n\n")
    }
}

extension ExternalAgentWorkspace {
    /// The workspace for `agents`' session, or `nil` when no agent is external.
    static func forSession(_ agents: [AgentSpec], folder: String) throws -> ExternalAgentWorkspace? {
        let programs = agents.compactMap(\.external)
        guard !programs.isEmpty else { return nil }
        let environment = ProcessInfo.processInfo.environment
        return try ExternalAgentWorkspace(
            sessionFolder: folder, needsSocket: programs.contains { $0.kind.speaksMCP },
            mgExecutable: environment["MG_EXECUTABLE"] ?? currentExecutable, environment: environment)
    }

    /// This process's executable (mg itself, for `mg mcp`).
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// An external agent's tools: the coding and coordination tools, plus `list_answers`.
    static func tools(_ tools: ToolRegistry, coordinator: SessionCoordinator, agent: Int) -> ToolRegistry {
        var registry = tools
        registry.register(ListAnswersTool(coordinator: coordinator, agent: agent))
        return registry
    }
}
