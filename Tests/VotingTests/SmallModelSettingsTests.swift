import CodingAgent
import Foundation
import MGTestSupport
import Testing
import Voting

/// The settings for small local models, from the config file to what an agent is sent.
@Suite struct SmallModelSettingsTests {
    typealias F = CalculatorFixture

    func parse(_ yaml: String) throws -> ResolvedConfiguration {
        try ConfigurationLoader.parse(
            yaml: yaml, file: "test.yaml", source: .explicit("test.yaml"), workingDirectory: "/work", environment: [:])
    }

    @Test func toolModeEditFormatAndContextWindowReachTheAgent() throws {
        let configuration = try parse(
            """
            agents:
              - id: local
                backend: {type: llamacpp, model: qwen, tool_mode: text, edit_format: whole, context_window: 8192}
              - id: other
                backend: {type: ollama, model: qwen}
            """)
        #expect(configuration.warnings.isEmpty)
        let first = configuration.agents[0].backend
        #expect(first.toolMode == .text && first.editFormat == .whole && first.contextWindow == 8192)
        let second = configuration.agents[1].backend
        #expect(second.toolMode == .auto && second.editFormat == EditFormat.none && second.contextWindow == nil)
        let specs = try SessionLauncher(environment: [:]).agentSpecs(for: configuration, meter: CostMeter())
        #expect(specs[0].toolMode == .text && specs[0].editFormat == .whole && specs[0].contextWindow == 8192)
        let error = try #require(throws: ConfigurationError.self) {
            try parse("agents:\n  - backend: {type: ollama, model: q, tool_mode: json}\n")
        }
        #expect(error.description.contains("one of native, text, auto"), "\(error)")
    }

    /// Before any answer exists an agent is not offered `vote`, `view_answer` or `adopt_answer`;
    /// once it gave its last allowed answer it is offered reading and voting only.
    @Test func toolsAnAgentCannotUseAreLeftOutOfItsRequests() async throws {
        let repository = try F.repository()
        let backend = ScriptedBackend(
            script: ScriptedScript(turns: [F.correctFix, Turn.answer("Fix add()."), Turn.vote("agent1")]))
        var settings = F.settings()
        settings.maxNewAnswersPerAgent = 1
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: [AgentSpec(id: "solo", backend: backend, model: "scripted")],
            settings: settings)
        #expect(outcome.winner == "solo")
        let offered = backend.receivedRequests.map { Set($0.tools.map(\.name)) }
        #expect(offered.count == 3)
        #expect(offered[0].isDisjoint(with: ["vote", "view_answer", "adopt_answer"]) && offered[0].contains("new_answer"))
        #expect(offered[2].isSuperset(of: ["vote", "view_answer", "read_file"]))
        #expect(offered[2].isDisjoint(with: ["new_answer", "write_file", "edit_file", "run_command", "adopt_answer"]))
        // Each request of the agent carries its cache key; the task and the repository come
        // before anything that differs between agents or runs.
        let context = try #require(backend.receivedRequests[2].messages.first { $0.role == .user }?.text)
        let task = try #require(context.range(of: "# Task"))
        let files = try #require(context.range(of: "# Repository"))
        let me = try #require(context.range(of: "You are agent1."))
        #expect(task.lowerBound < files.lowerBound && files.upperBound < me.lowerBound)
        #expect(backend.receivedRequests.allSatisfy { $0.cache == PromptCacheHint(key: "20260101-000000-test/solo") })
    }
}
