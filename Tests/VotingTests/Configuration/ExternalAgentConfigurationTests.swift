import CodingAgent
import Foundation
import Testing
import Voting

/// MassGen configurations with `claude_code` agents (no `model` needed), `mcp_servers` in both
/// shapes, and mg's other external kinds (codex, aider, command, ag2, langchain).
@Suite struct ExternalAgentConfigurationTests {
    func parse(_ yaml: String) throws -> ResolvedConfiguration {
        try ConfigurationLoader.parse(
            yaml: yaml, file: "/configs/team.yaml", source: .explicit("/configs/team.yaml"), workingDirectory: "/work",
            environment: ["OPENAI_API_KEY": "sk-test"])
    }

    /// MassGen's Claude Code example shape (cwd, permission_mode, allowed_tools, system_prompt,
    /// max_turns, mcp_servers as a mapping).
    static let claudeCodeExample = """
        agents:
          - id: "claude_code_agent"
            backend:
              type: "claude_code"
              cwd: "claude_code_workspace"
              permission_mode: "bypassPermissions"
              allowed_tools: ["Read", "Write", "Edit", "Bash", "mcp__discord__discord_read_messages"]
              disallowed_tools: ["WebSearch"]
              system_prompt: "You are a careful engineer."
              max_turns: 12
              mcp_servers:
                discord:
                  type: "stdio"
                  command: "npx"
                  args: ["-y", "mcp-discord"]
                  env: {DISCORD_TOKEN: "${cwd}/token"}
          - id: "gpt"
            backend:
              type: "openai"
              model: "gpt-5"
              mcp_servers:
                - name: "docs"
                  type: "streamable-http"
                  url: "http://127.0.0.1:9000/mcp"
                  headers: {Authorization: "Bearer abc"}
                  timeout: 5
                  exclude_tools: ["delete_page"]
              allowed_tools: ["read_file", "mcp__docs__search", "mcp__docs__read_page"]
        ui:
          display_type: "rich_terminal"
        """

    @Test func massGenClaudeCodeExampleLoads() throws {
        let configuration = try parse(Self.claudeCodeExample)
        let claude = try #require(configuration.agents.first?.external)
        #expect(claude.kind == .claudeCode && claude.program == "claude" && claude.model == nil)
        #expect(claude.permissionMode == "bypassPermissions")
        #expect(claude.allowedTools == ["Read", "Write", "Edit", "Bash", "mcp__discord__discord_read_messages"])
        #expect(claude.disallowedTools == ["WebSearch"] && claude.maxTurns == 12)
        #expect(claude.systemPrompt == "You are a careful engineer.")
        #expect(
            claude.mcpServers == [
                MCPServerSpec(
                    name: "discord",
                    transport: .stdio(
                        command: "npx", arguments: ["-y", "mcp-discord"], environment: ["DISCORD_TOKEN": "/work/token"],
                        workingDirectory: nil))
            ])
        #expect(configuration.agents[0].backendType == .claudeCode)
        // The API agent's HTTP server, with MassGen's backend-level filters applied to its tools.
        let docs = try #require(configuration.agents[1].mcpServers.first)
        #expect(docs.transport == .http(url: "http://127.0.0.1:9000/mcp", headers: ["Authorization": "Bearer abc"]))
        #expect(docs.callTimeout == .seconds(5))
        #expect(docs.allowedTools == ["search", "read_page"] && docs.excludedTools == ["delete_page"])
        #expect(docs.offers("search") && !docs.offers("delete_page") && !docs.offers("write_page"))
        #expect(configuration.warnings.map(\.path) == ["agents[0].backend.cwd", "ui.display_type"])
    }

    @Test func everyExternalKindLoads() throws {
        let configuration = try parse(
            """
            agents:
              - id: codex
                backend: {type: codex, model: gpt-5-codex, command: /opt/codex/bin/codex}
              - id: aider
                backend: {type: aider, model: qwen2.5-coder, base_url: "http://127.0.0.1:8089/v1"}
              - id: mine
                backend:
                  type: command
                  argv: ["python3", "agent.py", "--task", "{task_file}", "--context", "{context_file}"]
                  env: {AGENT_MODE: fast}
                timeout_seconds: 300
              - id: ag2
                backend:
                  type: ag2
                  python: /venv/bin/python
                  agent_config:
                    type: assistant
                    llm_config:
                      config_list: [{model: gpt-4o-mini, base_url: "http://127.0.0.1:8089/v1", api_key: local}]
              - id: chain
                backend: {type: langchain, model: qwen, base_url: "http://127.0.0.1:8089/v1"}
            """)
        let specs = configuration.agents.compactMap(\.external)
        #expect(specs.map(\.kind) == [.codex, .aider, .command, .ag2, .langchain])
        #expect(specs[0].program == "/opt/codex/bin/codex" && specs[0].model == "gpt-5-codex")
        #expect(specs[1].program == "aider" && specs[1].baseURL == "http://127.0.0.1:8089/v1")
        #expect(specs[2].program == "python3" && specs[2].arguments == ["agent.py", "--task", "{task_file}", "--context", "{context_file}"])
        #expect(specs[2].environment == ["AGENT_MODE": "fast"] && configuration.agents[2].timeoutSeconds == 300)
        #expect(specs[3].program == "/venv/bin/python" && specs[3].model == "gpt-4o-mini" && specs[3].apiKey == "local")
        #expect(specs[4].program == "python3" && specs[4].model == "qwen")
        // `type: assistant` is the agent mg's AG2 adapter builds: nothing to warn about.
        #expect(configuration.warnings.isEmpty)
    }

    @Test func badExternalSpecsSayWhatIsMissing() throws {
        let noArgv = try #require(throws: ConfigurationError.self) { try parse("agents:\n  - backend: {type: command}\n") }
        #expect(noArgv.description.contains("`agents[0].backend.argv` is required"))
        let noModel = try #require(throws: ConfigurationError.self) { try parse("agents:\n  - backend: {type: langchain}\n") }
        #expect(noModel.description.contains("`agents[0].backend.model` is required"))
        let noCommand = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend:\n      model: gpt-5\n      mcp_servers: {git: {type: stdio}}\n")
        }
        #expect(noCommand.description.contains("mcp_servers.git.command` is required"))
        let badType = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend:\n      model: gpt-5\n      mcp_servers: [{name: x, type: websocket, url: ws://h}]\n")
        }
        #expect(badType.description.contains("must be stdio or streamable-http"))
        let unnamed = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend:\n      model: gpt-5\n      mcp_servers: [{command: x}]\n")
        }
        #expect(unnamed.description.contains("mcp_servers[0].name` is required"))
    }

    @Test func aMissingProgramIsOneErrorBeforeTheSession() throws {
        let configuration = try parse(
            "agents:\n  - id: claude\n    backend: {type: claude_code, command: mg-no-such-claude}\n  - id: gpt\n    backend: {model: gpt-5}\n")
        let launcher = SessionLauncher(environment: ["OPENAI_API_KEY": "sk-test", "PATH": "/usr/bin:/bin"])
        let error = try #require(throws: ExternalAgentError.self) {
            _ = try launcher.agentSpecs(for: configuration, meter: CostMeter(prices: .standard))
        }
        #expect(error == .programNotFound(agent: "claude", program: "mg-no-such-claude", hint: ExternalAgentSpec.Kind.claudeCode.installHint))
        #expect(error.description.contains("Agent claude needs mg-no-such-claude, which is not installed"))
        #expect(error.description.contains("Hint: install Claude Code"))
        let adapter = try parse("agents:\n  - id: chain\n    backend: {type: langchain, model: m, python: /bin/sh}\n")
        let missingFramework = try #require(throws: ExternalAgentError.self) {
            _ = try launcher.agentSpecs(for: adapter, meter: CostMeter(prices: .standard))
        }
        #expect(missingFramework.description.contains("needs the Python module langchain_openai, which /bin/sh cannot import"))
    }
}
