import Foundation
import MGTestSupport
import Testing

/// `mg fix` with agents that are programs, run as a user runs it: a mixed session of an API
/// agent (scripted), a CLI agent (the Claude Code stand-in, answering and voting through
/// `mg mcp` with the real Python MCP client) and an AG2 agent (mg's adapter against a scripted
/// OpenAI-compatible server); and the missing-program error.
@Suite struct ExternalAgentsEndToEndTests {
    @Test func mixedSessionOfAnAPIACLIAndAnAG2AgentLandsTheTestedWinner() throws {
        let peers = try PythonPeers.installed()
        let model = ScriptedCodingModel(summary: "AG2: fixed add().")
        let server = try LoopbackHTTPServer(options: .init(keepAlive: false)) { model.reply($0) }
        defer { server.stop() }
        let claude = try FakeAgentPrograms.claude(python: peers.python)
        let vote = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "its tests pass"}}]}"#
        let fixture = try FixFixture(agents: [
            ("api", [FixFixture.correctFix, FixFixture.answer("Fix add(): use +."), vote, vote, vote, vote])
        ])
        // Replace the generated config: the scripted API agent first (agent1), then the two programs.
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            orchestrator:
              ballot_seed: \(FixFixture.positionalBallotSeed)
            agents:
              - id: api
                backend: {type: scripted, script: api.json, model: scripted}
              - id: claude
                backend:
                  type: claude_code
                  command: \(claude)
                  permission_mode: acceptEdits
                  max_turns: 5
                  env: {FAKE_USE_MCP: "1"}
              - id: ag2
                backend:
                  type: ag2
                  python: \(peers.python)
                  agent_config:
                    llm_config: {model: qwen-local, base_url: "\(server.url("/v1"))"}

            """)
        let run = try fixture.mg(["fix", "add 2 3 prints -1", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("Winner: api (agent1)"))
        #expect(run.stdout.contains("claude: tests pass") && run.stdout.contains("ag2: tests pass"))
        // The CLI agent answered and voted through `mg mcp` (its stand-in exits 5 unless `mg mcp`
        // lists exactly mg's coordination tools).
        #expect(run.stdout.contains("claude: mcp__mg__new_answer"))
        #expect(run.stdout.contains("claude: answer 1 as agent2"))
        #expect(run.stdout.contains("claude: mcp__mg__vote"))
        #expect(run.stdout.contains("claude votes for agent1"))
        #expect(!run.stdout.contains(": failed —"))
        #expect(run.stdout.contains("ag2 votes for agent1"))
        // Every agent's answer is a commit on its own branch, and the fix landed.
        let branches = try fixture.agentBranches()
        #expect(branches.count == 3)
        for branch in branches {
            #expect(try fixture.repository.git("show", "\(branch):calc.sh").contains("$1 + $2"), "\(branch)")
        }
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        #expect(server.requests.count >= 3)
        _ = try fixture.repository.fsck()
    }

    @Test func theRealClaudeCodeCLIAnswersAndVotesThroughMgMCP() throws {
        let peers = try PythonPeers.installed()
        let model = ScriptedClaudeModel()
        let server = try LoopbackHTTPServer(options: .init(keepAlive: false)) { model.reply($0) }
        defer { server.stop() }
        let home = NSTemporaryDirectory() + "mg-claude-home-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let vote = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "its tests pass"}}]}"#
        let fixture = try FixFixture(agents: [("api", [FixFixture.wrongFix, FixFixture.answer("Make add() multiply."), vote, vote, vote])])
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            orchestrator:
              ballot_seed: \(FixFixture.positionalBallotSeed)
            agents:
              - id: claude
                backend:
                  type: claude_code
                  command: \(peers.claude)
                  permission_mode: acceptEdits
                  allowed_tools: [Read, Edit, mcp__mg]
                  env:
                    ANTHROPIC_BASE_URL: "\(server.baseURL)"
                    ANTHROPIC_API_KEY: sk-test
                    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1"
                    HOME: \(home)
              - id: api
                backend: {type: scripted, script: api.json, model: scripted}

            """)
        let run = try fixture.mg(["fix", "add 2 3 prints -1", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("claude: Read") && run.stdout.contains("claude: Edit"))
        #expect(run.stdout.contains("claude: answer 1 as agent1"))
        #expect(run.stdout.contains("Fixed add() in calc.sh (Claude Code)."))
        #expect(run.stdout.contains("claude votes for agent1"))
        #expect(run.stdout.contains("Winner: claude (agent1)"))
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        // Every model call went to the scripted server, with the key from the agent's env.
        #expect(!server.requests.isEmpty)
        #expect(server.requests.allSatisfy { $0.target.hasPrefix("/v1/messages") })
    }

    @Test func aMissingProgramExits69BeforeAnyWorktree() throws {
        let fixture = try FixFixture(agents: [("api", [FixFixture.correctFix, FixFixture.answer("Fix add().")])])
        try fixture.repository.write(
            ".massgen/config.yaml",
            "agents:\n  - id: api\n    backend: {type: scripted, script: api.json, model: scripted}\n"
                + "  - id: claude\n    backend: {type: claude_code, command: mg-no-such-claude}\n")
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 69)
        #expect(run.stderr.contains("error: Agent claude needs mg-no-such-claude, which is not installed (not found on PATH)."))
        #expect(run.stderr.contains("Hint: install Claude Code"))
        #expect(try fixture.agentBranches().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.massgen/workspaces"))
    }

    @Test func mcpWithoutASessionSaysSo() throws {
        let fixture = try FixFixture(agents: [])
        let run = try fixture.mg(["mcp", "--socket", "/tmp/mg-none/coordination.sock", "--agent", "claude"])
        #expect(run.status == 69)
        #expect(run.stderr.contains("No mg session is listening on /tmp/mg-none/coordination.sock"))
    }
}
