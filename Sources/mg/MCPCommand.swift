import ArgumentParser
import Foundation
import Voting

/// `mg mcp`: the stdio MCP server a CLI agent starts to answer and vote in its mg session.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve mg's coordination tools over MCP (stdio) for one agent of a running session.",
        discussion: """
            mg starts CLI agents that speak MCP (Claude Code, Codex) with this server in their MCP \
            configuration; you rarely run it yourself. It offers new_answer, vote, view_answer, \
            adopt_answer and the read-only list_answers, bound to one agent of the running session, \
            and forwards every call to that session. The agent's token comes in MG_MCP_TOKEN.

            Example (what mg hands Claude Code):
              mg mcp --socket /tmp/mg-1a2b3c4d/coordination.sock --agent claude
            """)

    @Option(help: "The session's coordination socket.")
    var socket: String

    @Option(help: "The agent this server answers and votes for.")
    var agent: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        // stdout carries MCP messages only; errors go to stderr.
        let console = global.console
        try await ErrorBoundary.run(console) {
            let token = ProcessInfo.processInfo.environment["MG_MCP_TOKEN"] ?? ""
            do {
                try await CoordinationMCPServer.serve(socket: socket, agent: agent, token: token)
            } catch {
                throw CLIError(.backendUnavailable, "\(error)")
            }
        }
    }
}
