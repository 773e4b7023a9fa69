import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// MassGen's coordination keys in real sessions: `skip_coordination_rounds`,
/// `answer_novelty_requirement` and planning mode.
@Suite struct CoordinationKeysScenarioTests {
    typealias F = CalculatorFixture

    @Test func skippingCoordinationRunsTheFirstAgentAndLandsItsFirstAnswer() async throws {
        let repository = try F.repository()
        var settings = F.settings()
        settings.skipCoordinationRounds = true
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path,
            agents: [
                F.agent("fixer", [F.correctFix, Turn.answer("Fix add().")]),
                F.agent("guesser", [F.wrongFix, Turn.answer("Multiply.")]),
            ], settings: settings)
        #expect(outcome.exitCode == 0 && outcome.winner == "fixer")
        #expect(outcome.roundEnd == .firstAnswer)
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        // Only the first agent ran: no branch of the other.
        let branches = try repository.git("for-each-ref", "--format=%(refname:short)", "refs/heads/massgen/")
        #expect(branches.split(separator: "\n").map { $0.hasSuffix("/fixer") } == [true])
    }

    /// `copier` makes `fixer`'s change once it sees it, then votes.
    func copySession(_ novelty: AnswerNovelty) async throws -> (SessionOutcome, [SessionEvent]) {
        let repository = try F.repository()
        var settings = F.settings()
        settings.answerNovelty = novelty
        let sink = CollectingEventSink()
        let sawFixer: GatedScriptBackend.Gate = { turn, request in
            guard turn.toolCalls?.first?.name == "edit_file" else {
                return await GatedScriptBackend.voteTargetVisible(turn, request)
            }
            return request.messages.map(\.text).joined().contains("## agent1 (answer")
        }
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path,
            agents: [
                F.agent("fixer", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1")),
                F.agent(
                    "copier", [F.correctFix, Turn.answer("Fix add() too.")] + Turn.votes("agent1"),
                    gate: sawFixer),
            ], settings: settings, events: sink)
        return (outcome, await sink.events(of: .answer))
    }

    @Test func aBalancedNoveltyRequirementRefusesACopiedChange() async throws {
        let (outcome, answers) = try await copySession(.balanced)
        #expect(outcome.exitCode == 0 && outcome.winner == "fixer")
        let refused = try #require(answers.first { $0.agent == "copier" && $0.accepted == false })
        #expect(
            refused.reason?.contains("100% similar to agent1's answer") == true, "\(refused.reason ?? "")")
        #expect(refused.reason?.contains("answer_novelty_requirement: balanced") == true)
        #expect(!answers.contains { $0.agent == "copier" && $0.accepted == true })

        // Lenient (MassGen's default) accepts the same answer.
        let (_, lenient) = try await copySession(.lenient)
        #expect(lenient.contains { $0.agent == "copier" && $0.accepted == true })
    }

    @Test func planningModeKeepsMCPServersOffAndTellsTheAgents() async throws {
        let repository = try F.repository()
        var settings = F.settings()
        settings.planningMode = PlanningMode(instruction: "Describe, do not act.")
        let backend = GatedScriptBackend([F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1"))
        var agent = AgentSpec(id: "fixer", backend: backend, model: "scripted")
        // A server that cannot start: in planning mode it is never started.
        agent.mcpServers = [
            MCPServerSpec(
                name: "poster",
                transport: .stdio(
                    command: "/nonexistent/mcp-server", arguments: [], environment: [:], workingDirectory: nil
                ))
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: [agent], settings: settings)
        #expect(outcome.exitCode == 0 && outcome.winner == "fixer", "\(outcome.agentErrors)")
        let first = try #require(backend.requestTexts.first)
        #expect(first.contains("Planning mode: Describe, do not act."))
        #expect(first.contains("Tools of MCP servers are not available in this session"))

        // Without planning mode the same server stops the agent.
        let other = try F.repository()
        let failing = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: other.path,
            agents: [agent], settings: F.settings(session: "20260101-000000-plan"))
        #expect(failing.winner == nil && failing.agentErrors["fixer"] != nil)
    }
}
