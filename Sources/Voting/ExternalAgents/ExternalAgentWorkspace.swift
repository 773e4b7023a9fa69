import CodingAgent
import Foundation

/// Where a session's external agents get their files and their way back to mg: the run
/// folders (task and context files), the adapters' Python files, and the coordination socket
/// for `mg mcp` with one random token per agent.
final class ExternalAgentWorkspace: Sendable {
    let sessionFolder: String
    let socket: CoordinationSocket?
    let mgExecutable: String
    let environment: [String: String]

    /// Prepares the folder; opens the socket when an agent speaks MCP.
    init(sessionFolder: String, needsSocket: Bool, mgExecutable: String, environment: [String: String]) throws {
        self.sessionFolder = sessionFolder
        self.mgExecutable = mgExecutable
        self.environment = environment
        socket = needsSocket ? try CoordinationSocket() : nil
        let adapters = sessionFolder + "/adapters"
        try FileManager.default.createDirectory(atPath: adapters, withIntermediateDirectories: true)
        for (name, text) in EmbeddedAdapters.files {
            try text.write(toFile: adapters + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// Writes one run's files and builds its inputs; registers the agent on the socket.
    func inputs(
        agent: String, worktree: String, task: String, prompt: String, server: ToolCallServer, tools: [ToolDefinition]
    ) throws -> ExternalCommandLine.Inputs {
        let folder = sessionFolder + "/agents/" + agent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let taskFile = folder + "/task.md"
        let contextFile = folder + "/context.md"
        try task.write(toFile: taskFile, atomically: true, encoding: .utf8)
        try prompt.write(toFile: contextFile, atomically: true, encoding: .utf8)
        var coordination: (mg: String, socket: String, token: String)?
        if let socket {
            let token = UUID().uuidString + UUID().uuidString
            socket.register(agent: agent, token: token, server: server, tools: tools.filter { Self.mcpTools.contains($0.name) })
            coordination = (mgExecutable, socket.path, token)
        }
        return ExternalCommandLine.Inputs(
            agent: agent, worktree: worktree, prompt: prompt, taskFile: taskFile, contextFile: contextFile,
            runFolder: folder, coordination: coordination, adapterFolder: sessionFolder + "/adapters",
            environment: environment)
    }

    /// The tools `mg mcp` offers: coordination only (the CLI has its own coding tools).
    static let mcpTools: Set<String> = ["new_answer", "vote", "view_answer", "adopt_answer", "list_answers"]

    /// Closes the socket.
    func stop() { socket?.stop() }
}
