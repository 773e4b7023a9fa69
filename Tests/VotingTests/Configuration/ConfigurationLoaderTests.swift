import CodingAgent
import Foundation
import GitWorkspace
import Testing
import Voting

@Suite struct ConfigurationLoaderTests {
    static let keys = [
        "OPENAI_API_KEY": "sk-test-openai-0000", "ANTHROPIC_API_KEY": "sk-ant-test-1111",
        "GEMINI_API_KEY": "gem-test-2222", "AZURE_OPENAI_API_KEY": "azure-test-3333",
    ]

    func parse(_ yaml: String, environment: [String: String] = keys) throws -> ResolvedConfiguration {
        try ConfigurationLoader.parse(
            yaml: yaml, file: "test.yaml", source: .explicit("test.yaml"), workingDirectory: "/work/project",
            environment: environment)
    }

    func warningPaths(_ configuration: ResolvedConfiguration) -> [String] { configuration.warnings.map(\.path) }

    @Test func singleAgentFormLoadsWithResponsesExtras() throws {
        let configuration = try parse(MassGenConfigFixtures.singleAgent)
        let agent = try #require(configuration.agents.first)
        #expect(configuration.agents.count == 1)
        #expect(agent.id == "gpt5" && agent.backendType == .openai && agent.backend.model == "gpt-5-nano")
        #expect(agent.systemMessage == "You are a careful engineer.")
        #expect(agent.backend.settings.extraBody["reasoning"] == .object(["effort": .string("medium"), "summary": .string("auto")]))
        #expect(agent.backend.settings.extraBody["text"] == .object(["verbosity": .string("medium")]))
        #expect(agent.apiKeySource == "$OPENAI_API_KEY")
        #expect(warningPaths(configuration) == ["agent.backend.enable_web_search", "ui.display_type", "ui.logging_enabled"])
        let warning = try #require(configuration.warnings.first)
        #expect(warning.description.hasPrefix("agent.backend.enable_web_search is not supported by mg and is ignored"))
        #expect(warning.location.description == "test.yaml:12:5")
    }

    @Test func threeAgentListInfersTypeFromModel() throws {
        let configuration = try parse(MassGenConfigFixtures.threeAgents)
        #expect(configuration.agents.map(\.id) == ["gemini2.5flash", "4omini", "claude"])
        #expect(configuration.agents.map(\.backendType) == [.gemini, .openai, .claude])
        #expect(configuration.agents[2].backend.settings.temperature == 0.3)
        #expect(configuration.agents[2].backend.settings.maxTokens == 4096)
        #expect(
            warningPaths(configuration) == [
                "agents[0].backend.enable_web_search", "agents[1].backend.enable_web_search",
                "agents[1].backend.enable_code_interpreter", "ui.display_type",
            ])
        #expect(configuration.warnings[1].description.hasPrefix("agents[1].backend.enable_web_search is not supported by mg and is ignored"))
    }

    @Test func timeoutSettingsSetTheSessionTimeout() throws {
        let configuration = try parse(MassGenConfigFixtures.timeoutSettings)
        #expect(configuration.coding.timeoutSeconds == 45)
        #expect(warningPaths(configuration) == ["timeout_settings.initial_round_timeout_seconds"])
    }

    @Test func agentTimeoutsReachTheSpecsAndTheSettings() throws {
        let configuration = try parse(
            """
            agents:
              - id: local
                timeout_seconds: 900
                backend: {type: llamacpp, model: qwen, base_url: "http://127.0.0.1:8089/v1"}
              - id: hosted
                backend: {model: gpt-5}
            orchestrator:
              agent_timeout_seconds: 120.5
            """)
        #expect(configuration.agents.map(\.timeoutSeconds) == [900, nil])
        #expect(configuration.coding.agentTimeoutSeconds == 120.5)
        #expect(configuration.warnings.isEmpty)
        let launcher = SessionLauncher(environment: Self.keys)
        let specs = try launcher.agentSpecs(for: configuration, meter: CostMeter(prices: .standard))
        #expect(specs.map(\.timeout) == [.seconds(900), nil])
        #expect(
            try launcher.settings(for: configuration, overrides: SessionOverrides()).agentTimeout
                == .milliseconds(120_500))
        // `--agent-timeout` is every agent's limit, over the configured ones.
        let command = SessionOverrides(agentTimeoutSeconds: 30)
        let overridden = try launcher.agentSpecs(
            for: configuration, meter: CostMeter(prices: .standard), overrides: command)
        #expect(overridden.map(\.timeout) == [.seconds(30), .seconds(30)])
        #expect(try launcher.settings(for: configuration, overrides: command).agentTimeout == .seconds(30))
        #expect(throws: ConfigurationError.self) {
            try parse("agents:\n  - timeout_seconds: 0\n    backend: {model: gpt-5}\n")
        }
    }

    @Test func contextPathsKeepProtectedPathsAndCodingSettings() throws {
        let folder = NSTemporaryDirectory() + "mg-context-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/site", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try ConfigurationLoader.parse(
            yaml: MassGenConfigFixtures.contextPaths, file: "test.yaml", source: .explicit("test.yaml"),
            workingDirectory: folder, environment: Self.keys)
        let entry = try #require(configuration.contextPaths.first)
        #expect(configuration.contextPaths.count == 1)
        #expect(entry.path == folder + "/site" && entry.absolutePath == folder + "/site")
        #expect(entry.permission == "write" && entry.protectedPaths == ["config.json", "template.html"])
        #expect(configuration.coding.testCommand == "swift test")
        #expect(configuration.coding.mergeMode == .apply)
        #expect(configuration.coding.maxNewAnswersPerAgent == 2)
        #expect(configuration.coding.votingSensitivity == .strict)
        #expect(configuration.coding.maxCostUSD == 1.5)
        #expect(
            Set(warningPaths(configuration)) == [
                "agents[0].backend.cwd", "orchestrator.snapshot_storage", "orchestrator.agent_temporary_workspace",
            ])
        // None of them drops a feature: mg has its own worktrees and storage.
        #expect(configuration.warnings.allSatisfy { $0.kind == .notNeeded })
        // A context path that does not exist is skipped, as MassGen skips it.
        let missing = try parse(MassGenConfigFixtures.contextPaths)
        #expect(missing.contextPaths.isEmpty)
        #expect(missing.warnings.first { $0.path == "orchestrator.context_paths[0]" }?.kind == .skipped)
    }

    @Test func mcpServersInListAndDictFormBecomeServerSpecs() throws {
        let list = try parse(MassGenConfigFixtures.mcpListForm)
        #expect(warningPaths(list).isEmpty)
        #expect(list.agents.first?.systemMessage == "Use the weather tools.")
        #expect(
            list.agents.first?.mcpServers == [
                MCPServerSpec(
                    name: "weather",
                    transport: .stdio(command: "npx", arguments: ["-y", "@fak111/weather-mcp"], environment: [:], workingDirectory: nil))
            ])
        let dict = try parse(MassGenConfigFixtures.mcpDictForm)
        #expect(warningPaths(dict).isEmpty)
        #expect(dict.agents.first?.allowedTools == ["read_file", "edit_file", "run_command"])
        #expect(dict.agents.first?.mcpServers.map(\.name) == ["discord"])
        #expect(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend:\n      model: gpt-5\n      mcp_servers: 3\n")
        }
    }

    @Test func vllmAndSglangExtrasReachTheRequestBody() throws {
        let configuration = try parse(MassGenConfigFixtures.vllmAndSglang, environment: [:])
        let thinking: JSONValue = .object(["enable_thinking": .bool(true)])
        #expect(configuration.agents[0].backend.settings.extraBody == ["chat_template_kwargs": thinking, "top_k": .number(50)])
        #expect(configuration.agents[1].backend.settings.extraBody == ["chat_template_kwargs": thinking])
        #expect(configuration.agents.map(\.apiKeySource) == ["none needed", "none needed"])
        #expect(warningPaths(configuration) == ["ui.display_type", "ui.logging_enabled"])
    }

    @Test func azureOpenAILoadsWithItsVersionAndKey() throws {
        let configuration = try parse(MassGenConfigFixtures.azure)
        let agent = try #require(configuration.agents.first)
        #expect(agent.backendType == .azureOpenAI && agent.backend.apiVersion == "2024-02-15-preview")
        #expect(agent.apiKeySource == "$AZURE_OPENAI_API_KEY")
        #expect(warningPaths(configuration) == ["agents[0].backend.enable_web_search", "agents[0].backend.enable_code_interpreter"])
    }

    @Test func syntaxErrorsPointAtLineAndColumn() throws {
        let error = try #require(throws: ConfigurationError.self) { try parse("agents:\n  - id: a\n    backend: [\n") }
        guard case .syntax(let location, _) = error else { Issue.record("expected a syntax error, got \(error)"); return }
        #expect(location.line == 4 && location.column == 1)
        #expect(error.category == .badInput)
    }

    @Test func typeErrorsPointAtTheValue() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - id: a\n    backend:\n      model: gpt-5\n      temperature: warm\n")
        }
        #expect(error.description == "test.yaml:5:20: `agents[0].backend.temperature` must be a number, found \"warm\".")
    }

    @Test func unknownTypeIsBadInputAndMissingKeyIsUnavailable() throws {
        let unknown = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend:\n      type: frob\n      model: x\n")
        }
        #expect(unknown.category == .badInput)
        #expect(unknown.description.hasPrefix("test.yaml:3:13: agents[0].backend.type: Unknown backend type \"frob\""))
        let missing = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend:\n      model: claude-sonnet-4-5\n", environment: [:])
        }
        #expect(missing.category == .backendUnavailable)
        #expect(missing.description.contains("ANTHROPIC_API_KEY"))
    }

    @Test func noConfigPicksAgentsFromKeysWithVariants() throws {
        let request = ConfigurationRequest(
            workingDirectory: "/nonexistent", environment: ["ANTHROPIC_API_KEY": "k", "GOOGLE_API_KEY": "g"], agentCount: 4)
        let configuration = try ConfigurationLoader.load(request)
        #expect(configuration.agents.map(\.id) == ["claude", "gemini", "claude-2", "gemini-2"])
        #expect(configuration.source == .environment(["ANTHROPIC_API_KEY", "GOOGLE_API_KEY"]))
        #expect(Set(configuration.agents.compactMap(\.systemMessage)).count == 4)
        #expect(Set(configuration.agents.compactMap(\.backend.settings.temperature)).count == 4)
        let none = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(ConfigurationRequest(workingDirectory: "/nonexistent", environment: [:]))
        }
        #expect(none == .noBackendAvailable && none.category == .backendUnavailable)
        #expect(none.description.contains("base_url") && none.description.contains(".massgen/config.yaml"))
    }

    @Test func lookupOrderPrefersExplicitThenProjectThenUser() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mg-config-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let project = root + "/repo"
        let xdg = root + "/xdg"
        try FileManager.default.createDirectory(atPath: project + "/.massgen", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: xdg + "/mg", withIntermediateDirectories: true)
        let agent = { (id: String) in "agents:\n  - id: \(id)\n    backend: {type: ollama, model: qwen}\n" }
        try agent("user").write(toFile: xdg + "/mg/config.yaml", atomically: true, encoding: .utf8)
        var request = ConfigurationRequest(repositoryRoot: project, workingDirectory: project, environment: ["XDG_CONFIG_HOME": xdg])
        #expect(try ConfigurationLoader.load(request).agents.map(\.id) == ["user"])
        // The project file has no agents: its settings apply, agents come from the environment.
        try "orchestrator:\n  test_command: make test\n".write(toFile: project + "/.massgen/config.yaml", atomically: true, encoding: .utf8)
        request.environment["OPENAI_API_KEY"] = "sk-x"
        let fromProject = try ConfigurationLoader.load(request)
        #expect(fromProject.source == .project(project + "/.massgen/config.yaml"))
        #expect(fromProject.coding.testCommand == "make test" && fromProject.agents.count == 3)
        try agent("explicit").write(toFile: root + "/mine.yaml", atomically: true, encoding: .utf8)
        request.explicitFile = "../mine.yaml"
        #expect(try ConfigurationLoader.load(request).agents.map(\.id) == ["explicit"])
        request.explicitFile = "missing.yaml"
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(request) }
    }

    @Test func theEmbeddedTemplateLoads() throws {
        let template = try #require(EmbeddedTemplate.files["config.yaml"])
        let configuration = try parse(template)
        #expect(configuration.agents.isEmpty && configuration.warnings.isEmpty)
    }
}
