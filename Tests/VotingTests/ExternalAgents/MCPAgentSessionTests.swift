import CodingAgent
import Foundation
import MGTestSupport
import Testing
import Voting

/// API agents with `mcp_servers` in a real session: the servers start in the agent's worktree,
/// their tools are offered namespaced and their results reach the model; a broken server ends
/// only its own agent, with the server named in the reason.
@Suite struct MCPAgentSessionTests {
    typealias F = CalculatorFixture

    /// Records every request the agent's model receives.
    actor Requests {
        var all: [ModelRequest] = []
        func add(_ request: ModelRequest) { all.append(request) }
    }

    @Test func anAgentUsesItsMCPServersToolsAndABrokenServerDropsOnlyItsAgent() async throws {
        let peers = try PythonPeers.installed()
        let repository = try F.repository()
        let requests = Requests()
        var timekeeper = AgentSpec(
            id: "timekeeper",
            backend: GatedScriptBackend(
                [
                    Turn.call("time__get_current_time", ["timezone": .string("Asia/Tokyo")]),
                    Turn.call("git__git_status", ["repo_path": .string(".")]),
                    F.correctFix, Turn.answer("Fix add().")
                ] + Turn.votes("agent1"),
                gate: { turn, request in
                    await requests.add(request)
                    return await GatedScriptBackend.voteTargetVisible(turn, request)
                }),
            model: "scripted")
        timekeeper.mcpServers = [
            MCPServerSpec(
                name: "time",
                transport: .stdio(command: peers.tool("mcp-server-time"), arguments: [], environment: [:], workingDirectory: nil)),
            MCPServerSpec(
                name: "git",
                transport: .stdio(command: peers.tool("mcp-server-git"), arguments: [], environment: [:], workingDirectory: nil),
                allowedTools: ["git_status"]),
        ]
        var broken = F.agent("broken", [F.wrongFix, Turn.answer("Multiply.")] + Turn.votes("agent1"))
        broken.mcpServers = [
            MCPServerSpec(
                name: "quitter",
                transport: .stdio(command: "/bin/sh", arguments: ["-c", "echo 'no config file' >&2; exit 2"], environment: [:], workingDirectory: nil))
        ]
        let sink = CollectingEventSink()
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: [timekeeper, broken], settings: F.settings(), events: sink)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "timekeeper")
        // The tools were offered by their namespaced names, next to mg's (git limited to git_status).
        let first = try #require(await requests.all.first)
        let offered = Set(first.tools.map(\.name))
        #expect(offered.isSuperset(of: ["time__get_current_time", "time__convert_time", "git__git_status", "read_file", "new_answer"]))
        #expect(!offered.contains("git__git_log"))
        // Their results reached the model: the time in Tokyo, and git status run in the agent's worktree.
        let results = await requests.all.flatMap(\.messages).flatMap(\.parts).compactMap { part -> ToolResult? in
            if case .toolResult(let result) = part { return result } else { return nil }
        }
        #expect(results.contains { $0.name == "time__get_current_time" && $0.content.contains("Asia/Tokyo") && !$0.isError })
        let status = try #require(results.first { $0.name == "git__git_status" })
        #expect(status.content.contains("massgen/\(F.settings().sessionID ?? "")/timekeeper"), "\(status.content)")
        // The broken server ended its own agent, with one clear reason; the session went on.
        let failed = await sink.events(of: .agentState).first { $0.agent == "broken" && $0.phase == .failed }
        #expect(failed?.reason?.contains("MCP server \"quitter\" could not be started: it exited (exit code 2): no config file") == true)
        let errors = await sink.events(of: .error).compactMap(\.message)
        #expect(errors.contains { $0.hasPrefix("broken: MCP server \"quitter\"") })
    }
}
