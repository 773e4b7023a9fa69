import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// A session store double that also keeps every agent's transcript.
actor TranscriptKeepingRecorder: SessionRecorder {
    private(set) var changes: [SessionChange] = []
    nonisolated let transcripts: [String: InMemoryRecorder]

    init(agents: [String]) {
        transcripts = Dictionary(uniqueKeysWithValues: agents.map { ($0, InMemoryRecorder()) })
    }

    func record(_ change: SessionChange) async throws { changes.append(change) }

    nonisolated func transcriptRecorder(for agent: String) -> any TranscriptRecorder {
        transcripts[agent] ?? InMemoryRecorder()
    }

    /// Every tool result `agent` received, in order.
    func results(_ agent: String) async -> [ToolResult] {
        guard let transcript = transcripts[agent] else { return [] }
        return await transcript.entries.compactMap {
            if case .toolResult(let result, _) = $0.event { return result } else { return nil }
        }
    }
}

/// The rules of the coordination tools, seen through real sessions.
@Suite struct CoordinationRulesTests {
    typealias F = CalculatorFixture

    @Test func noveltyOneTerminalCallPerTurnViewAndAdopt() async throws {
        let repository = try F.repository()
        let recorder = TranscriptKeepingRecorder(agents: ["fixer", "builder", "confused"])
        let sink = CollectingEventSink()
        let both = ScriptedTurn(toolCalls: [
            ScriptedToolCall(name: "new_answer", arguments: .object(["content": .string("done")])),
            ScriptedToolCall(
                name: "vote", arguments: .object(["agent_id": .string("agent1"), "reason": .string("mine")])),
        ])
        let fixer =
            [Turn.answer("Nothing to change."), both, F.correctFix, Turn.answer("Fix add().")]
            + Turn.votes("agent2")
        let builder =
            [
                Turn.call("view_answer", ["agent_id": .string("agent1")]),
                Turn.call("view_answer", ["agent_id": .string("agent1"), "path": .string("calc.sh")]),
                Turn.call("adopt_answer", ["agent_id": .string("agent1")]),
                Turn.edit("README.md", "A calculator.", "A calculator that adds."),
                Turn.answer("Build on agent1 and document add()."),
            ] + Turn.votes("agent2")
        let confused = Turn.votes("agent7", count: 6)
        let agents = [
            // The two-call turn plays at once; it is refused whatever it names.
            F.agent(
                "fixer", fixer,
                gate: { turn, request in
                    turn.toolCalls?.count == 2
                        ? true : await GatedScriptBackend.voteTargetVisible(turn, request)
                }),
            F.agent("builder", builder),
            F.agent("confused", confused, gate: { _, _ in true }),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink, recorder: recorder)

        #expect(outcome.winner == "builder")
        #expect(outcome.exitCode == 0)
        // Novelty: an answer with no change is refused; so are two terminal calls in one turn.
        let rejected = await sink.events(of: .answer).filter { $0.agent == "fixer" && $0.accepted == false }
            .compactMap(\.reason)
        #expect(rejected.count == 2)
        // …and the tests fail on the base, so "nothing needs to change" is refused with the failing test.
        #expect(rejected.first?.contains("has no changes, and the tests fail on the base (failing: add)") == true)
        // With no answer anywhere yet, the way forward is to change files, not to vote.
        #expect(rejected.first?.contains("Change the files first") == true)
        #expect(rejected.last?.contains("vote and new_answer in the same turn") == true)
        // The confused agent is out of the round after more than three invalid votes.
        let confusedVotes = await sink.events(of: .vote).filter { $0.agent == "confused" }
        #expect(confusedVotes.count == 4)
        #expect(confusedVotes.allSatisfy { $0.accepted == false })
        let outResults = await recorder.results("confused")
        #expect(outResults.last?.content.contains("You are out of this round") == true)
        // The report says why it gave no answer, like any failed agent.
        let reason = try #require(outcome.agentErrors["confused"])
        #expect(reason.hasPrefix("out for the round: more than 3 invalid") && reason.contains("the last: There are no answers to vote for yet"), "\(reason)")
        #expect(Set(outcome.agentErrors.keys) == ["confused"])
        let failed = await sink.events(of: .agentState).filter { $0.phase == .failed }
        #expect(failed.map(\.agent) == ["confused"] && failed.first?.reason == reason)
        // view_answer showed the overview and the file; adopt_answer reset the worktree.
        let results = await recorder.results("builder")
        #expect(
            results.contains {
                $0.name == "view_answer" && $0.content.contains("calc.sh")
                    && $0.content.contains("Fix add().")
            })
        #expect(
            results.contains {
                $0.name == "view_answer" && $0.content.contains("add() { echo $(($1 + $2)); }")
            })
        #expect(results.contains { $0.name == "adopt_answer" && !$0.isError })
        let branch = "massgen/20260101-000000-test/builder"
        #expect(
            try repository.git("log", "-1", "--format=%(trailers:key=Mg-Adopted)", "\(branch)~1").contains(
                "Mg-Adopted:"))
        #expect(try repository.git("show", "\(branch):calc.sh").contains("$1 + $2"))
        #expect(try repository.git("show", "HEAD:README.md") == "A calculator that adds.\n")
        let adoptions = await recorder.changes.compactMap {
            if case .answerAdopted(let record) = $0 { return record } else { return nil }
        }
        #expect(adoptions.map(\.source) == ["fixer"])
        try repository.fsck()
    }
}
