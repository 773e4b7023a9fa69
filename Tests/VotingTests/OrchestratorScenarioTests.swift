import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// End-to-end sessions over real repositories and worktrees, with scripted agents whose vote
/// turns wait until they can see the answer they vote for (`GatedScriptBackend`).
@Suite struct OrchestratorScenarioTests {
    typealias F = CalculatorFixture
    let session = "20260101-000000-test"

    private func branch(_ agent: String) -> String { "massgen/\(session)/\(agent)" }

    @Test func correctFixWinsOverWrongAndBrokenAndLands() async throws {
        let repository = try F.repository()
        let head = try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let sink = CollectingEventSink()
        let recorder = InMemorySessionRecorder()
        let agents = [
            F.agent(
                "fixer",
                [F.correctFix, Turn.answer("Fix add(): it subtracted; use +. `sh test.sh` passes.")]
                    + Turn.votes("agent1")),
            F.agent("guesser", [F.wrongFix, Turn.answer("Make add() multiply.")] + Turn.votes("agent1")),
            F.agent("breaker", [F.breakingChange, Turn.answer("Rewrite calc.sh.")] + Turn.votes("agent1")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "add 2 3 prints -1 instead of 5", repositoryRoot: repository.path, agents: agents,
            settings: F.settings(),
            events: sink, recorder: recorder)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "fixer")
        #expect(outcome.ranking.first?.anonymousID == "agent1")
        #expect(outcome.ranking.first?.votes == 3)
        #expect(outcome.roundEnd == .allVoted)
        // The fix landed as one squash commit on main, with the winner's summary as message.
        #expect(
            try repository.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines) == head)
        #expect(try repository.git("log", "-1", "--format=%s").hasPrefix("Fix add(): it subtracted"))
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        #expect(String(decoding: repository.read("calc.sh") ?? Data(), as: UTF8.self).contains("$1 + $2"))
        #expect(try repository.git("status", "--porcelain").isEmpty)

        // Test evidence separated the answers.
        let results = await sink.events(of: .testResult)
        let passedBy = Dictionary(
            results.map { ($0.agent ?? "", $0.passed ?? false) }, uniquingKeysWith: { $1 })
        #expect(passedBy == ["fixer": true, "guesser": false, "breaker": false])
        #expect(results.first { $0.agent == "guesser" }?.failedTests == ["add"])

        // Every agent's answer stays on its branch, with mg's trailers; the repository is sound.
        for agent in ["fixer", "guesser", "breaker"] {
            let trailers = try repository.git("log", "-1", "--format=%(trailers:only)", branch(agent))
            #expect(trailers.contains("Mg-Session: \(session)"))
            #expect(trailers.contains("Mg-Agent: \(agent)"))
            #expect(trailers.contains("Mg-Iteration: 1"))
        }
        try repository.fsck()
        // Worktrees are gone (their work is on the branches); only the main worktree is left.
        let worktrees = try repository.git("worktree", "list", "--porcelain")
        #expect(worktrees.components(separatedBy: "worktree ").count - 1 == 1)
        // The diff log and the records describe the session.
        let log = try String(contentsOfFile: outcome.diffLogPath ?? "", encoding: .utf8)
        #expect(log.contains("## fixer (agent1) — answer 1"))
        #expect(log.contains("## Similarity"))
        let changes = await recorder.changes
        #expect(
            changes.contains {
                if case .merged(let record?) = $0 {
                    return record.refUpdates.count == 1
                } else {
                    return false
                }
            })
        if case .finished(let finish)? = changes.last {
            #expect(finish.outcome == "success")
        } else {
            Issue.record("no finish record")
        }
        let finished = await sink.events(of: .sessionFinished)
        #expect(finished.map(\.exitCode) == [0])
    }

    @Test func lateAnswerResetsVotesAndRestartsOthers() async throws {
        let repository = try F.repository()
        let sink = CollectingEventSink()
        let recorder = InMemorySessionRecorder()
        // The late agent submits only after both others' votes have counted.
        let afterTwoVotes: GatedScriptBackend.Gate = { turn, request in
            guard turn.toolCalls?.first?.name == "new_answer" else {
                return await GatedScriptBackend.voteTargetVisible(turn, request)
            }
            return await sink.events(of: .vote).filter { $0.accepted == true }.count >= 2
        }
        let agents = [
            F.agent(
                "early",
                [F.wrongFix, Turn.answer("Make add() multiply."), Turn.vote("agent1")] + Turn.votes("agent3")),
            F.agent("judge", [Turn.vote("agent1")] + Turn.votes("agent3")),
            F.agent(
                "late", [F.correctFix, Turn.answer("Fix add(): use +.")] + Turn.votes("agent3"),
                gate: afterTwoVotes),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink, recorder: recorder)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "late")
        #expect(outcome.ranking.first?.votes == 3)
        #expect(outcome.ranking.first { $0.anonymousID == "agent1" }?.votes == 0)
        let all = await sink.events
        guard
            let lateAnswer = all.firstIndex(where: {
                $0.kind == .answer && $0.agent == "late" && $0.accepted == true
            })
        else {
            Issue.record("the late answer was not accepted")
            return
        }
        let before = all[..<lateAnswer].filter { $0.kind == .vote && $0.accepted == true }
        #expect(Set(before.map { $0.agent ?? "" }) == ["early", "judge"])
        #expect(before.allSatisfy { $0.target == "agent1" })
        let after = all[lateAnswer...]
        for agent in ["early", "judge"] {
            #expect(after.contains { $0.kind == .agentState && $0.agent == agent && $0.phase == .restarting })
            #expect(
                after.contains {
                    $0.kind == .vote && $0.agent == agent && $0.accepted == true && $0.target == "agent3"
                })
        }
        // Votes were recorded against the answer serial they applied to.
        let votes = await recorder.changes.compactMap {
            if case .vote(let vote) = $0, vote.counted { return vote } else { return nil }
        }
        #expect(votes.filter { $0.target == "agent1" }.allSatisfy { $0.serial == 1 })
        #expect(votes.filter { $0.target == "agent3" }.allSatisfy { $0.serial == 2 })
    }

    @Test func failingAgentsAreDroppedAndTheSessionFinishes() async throws {
        let repository = try F.repository()
        let sink = CollectingEventSink()
        var settings = F.settings()
        // The session-wide agent limit drops "slow"; the agents that must finish on their own
        // terms carry a limit of their own, so a loaded machine cannot time them out instead.
        settings.agentTimeout = .seconds(2)
        var good = F.agent("good", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1"))
        good.timeout = .seconds(120)
        var silent = F.agent(
            "silent",
            [Turn.text("I think it is fine."), Turn.text("Still fine."), Turn.text("Fine."), Turn.text("Fine!")])
        silent.timeout = .seconds(120)
        let agents = [
            good,
            F.agent("slow", [ScriptedTurn(text: "Let me think for a long time.", delayMilliseconds: 60_000)]),
            F.agent(
                "crashing",
                [
                    ScriptedTurn(
                        fail: ScriptedFailure(kind: "unauthorized", status: 401, message: "invalid key"))
                ]),
            silent,
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings, events: sink
        )

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "good")
        #expect(Set(outcome.agentErrors.keys) == ["slow", "crashing", "silent"])
        #expect(outcome.agentErrors["slow"]?.contains("its 2 s time limit passed") == true)
        #expect(outcome.agentErrors["silent"]?.contains("no tool call") == true)
        let failed = await sink.events(of: .agentState).filter { $0.phase == .failed }.compactMap(\.agent)
        #expect(Set(failed) == ["slow", "crashing", "silent"])
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
    }

    @Test func tieIsBrokenByTheGateThenDiffSize() async throws {
        let repository = try F.repository()
        let agents = [
            F.agent(
                "padded",
                [
                    F.correctFix, Turn.edit("README.md", "A calculator.", "A small calculator.\nNow fixed."),
                    Turn.answer("Fix add and reword the README."),
                ] + Turn.votes("agent1")),
            F.agent("minimal", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent2")),
            F.agent(
                "wrong",
                [Turn.edit("calc.sh", "$1 - $2", "$2 - $1"), Turn.answer("Swap operands.")]
                    + Turn.votes("agent3")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings())

        #expect(outcome.ranking.map(\.votes) == [1, 1, 1])
        #expect(outcome.ranking.map(\.anonymousID) == ["agent2", "agent1", "agent3"])
        // "wrong" fixes none of the failing tests: it may not land, whatever the votes.
        #expect(outcome.ranking.map(\.decidedBy) == ["diff_size", "gate", nil])
        #expect(outcome.ranking.map(\.eligible) == [true, true, false])
        #expect(outcome.winner == "minimal")
        #expect(try repository.git("show", "HEAD:README.md") == "A calculator.\n")
        // The three worktrees (removed in parallel) are gone, and so is the session's folder.
        #expect(try repository.git("worktree", "list").split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: repository.path + "/.massgen/workspaces/\(session)"))
    }

    @Test func allAgentsFailingMergesNothingAndLosesNothing() async throws {
        let repository = try F.repository()
        try repository.write("README.md", "A calculator with my uncommitted notes.\n")
        try repository.write("notes.txt", "untracked\n")
        let before = try repository.userStateSnapshot()
        let sink = CollectingEventSink()
        let agents = [
            F.agent(
                "crashing",
                [
                    ScriptedTurn(
                        fail: ScriptedFailure(kind: "server_error", status: 503, message: "overloaded"))
                ]),
            F.agent(
                "silent", [Turn.text("No idea."), Turn.text("None."), Turn.text("Nope."), Turn.text("No.")]),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink)

        #expect(outcome.exitCode == 1)
        #expect(outcome.winner == nil)
        #expect(Set(outcome.agentErrors.keys) == ["crashing", "silent"])
        #expect(try repository.userStateSnapshot() == before)
        #expect(await sink.events(of: .merged).isEmpty)
        let errors = await sink.events(of: .error).compactMap(\.message)
        #expect(
            errors.contains {
                $0.contains("No agent produced an answer") && $0.contains("crashing") && $0.contains("silent")
            })
        try repository.fsck()
    }

    @Test func aSessionTimeoutWithoutAnswersSaysWhatStoppedEachAgent() async throws {
        let repository = try F.repository()
        let before = try repository.userStateSnapshot()
        var settings = F.settings()
        settings.orchestratorTimeout = .seconds(1)
        let thinking = [ScriptedTurn(text: "Let me think for a long time.", delayMilliseconds: 60_000)]
        let agents = [F.agent("ponder", thinking), F.agent("muse", thinking)]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings)

        #expect(outcome.exitCode == 1 && outcome.winner == nil && outcome.roundEnd == .timeout)
        #expect(Set(outcome.agentErrors.keys) == ["ponder", "muse"])
        #expect(outcome.agentErrors.values.allSatisfy { $0.contains("the session's time limit passed") })
        #expect(try repository.userStateSnapshot() == before)
        try repository.fsck()
    }

    @Test func userEditDuringTheSessionRefusesTheMergeAndKeepsTheWinner() async throws {
        let repository = try F.repository()
        let userEdit: GatedScriptBackend.Gate = { turn, request in
            guard await GatedScriptBackend.voteTargetVisible(turn, request) else { return false }
            if turn.toolCalls?.first?.name == "vote" {
                try? repository.write("calc.sh", "# the user's own rewrite\n")
            }
            return true
        }
        let sink = CollectingEventSink()
        let agents = [
            F.agent(
                "fixer", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1"), gate: userEdit)
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink)

        #expect(outcome.exitCode == 2)
        guard case .mergeRefused(_, let hint) = outcome.kind else {
            Issue.record("expected a refused merge, got \(outcome.kind)")
            return
        }
        #expect(hint.contains("git merge --squash \(branch("fixer"))"))
        #expect(
            String(decoding: repository.read("calc.sh") ?? Data(), as: UTF8.self)
                == "# the user's own rewrite\n")
        #expect(
            try repository.git("log", "-1", "--format=%s").trimmingCharacters(in: .whitespacesAndNewlines)
                == "initial")
        #expect(try repository.git("show", "\(branch("fixer")):calc.sh").contains("$1 + $2"))
        #expect(await sink.events(of: .mergeRefused).first?.hint == hint)
    }

    @Test func cancellationCommitsWorkToBranchesAndLeavesTheRepositoryAlone() async throws {
        let repository = try F.repository()
        let before = try repository.userStateSnapshot()
        let sink = CollectingEventSink()
        let agents = [
            F.agent(
                "answered",
                [F.correctFix, Turn.answer("Fix add()."), ScriptedTurn(text: "…", delayMilliseconds: 60_000)]),
            F.agent(
                "partial",
                [
                    Turn.write("partial.txt", "half done\n"),
                    ScriptedTurn(text: "…", delayMilliseconds: 60_000),
                ]),
        ]
        let settings = F.settings()
        let root = repository.path
        let run = Task {
            try await CodingOrchestrator().run(
                task: "fix add", repositoryRoot: root, agents: agents, settings: settings, events: sink)
        }
        // Cancel once "answered" has answered and "partial" has written its file (both then sit in
        // their 60 s turn); the bound is generous because a loaded CI machine can be slow to get there.
        let partialFile = root + "/.massgen/workspaces/\(settings.sessionID ?? "")/partial/partial.txt"
        for _ in 0..<3000
        where await sink.events(of: .answer).isEmpty || !FileManager.default.fileExists(atPath: partialFile) {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(100))
        run.cancel()
        let outcome = try await run.value

        #expect(outcome.exitCode == 130)
        #expect(try repository.userStateSnapshot() == before)
        #expect(try repository.git("show", "\(branch("answered")):calc.sh").contains("$1 + $2"))
        #expect(try repository.git("show", "\(branch("partial")):partial.txt") == "half done\n")
        try repository.fsck()
    }

    @Test func costCeilingStopsNewTurnsAndTheBestAnswerSoFarWins() async throws {
        let repository = try F.repository()
        var settings = F.settings()
        settings.costCeilingUSD = 1.5
        var edit = F.correctFix
        edit.usage = ScriptedUsage(input: 1_000_000, output: 0)
        var answer = Turn.answer("Fix add().")
        answer.usage = ScriptedUsage(input: 1_000_000, output: 0)
        let meter = CostMeter()
        let price = ModelPrice(inputPerMillion: 1, outputPerMillion: 1)
        let agents = [
            AgentSpec(
                id: "spender", backend: GatedScriptBackend([edit, answer] + Turn.votes("agent1")),
                model: "scripted", costMeter: meter, price: price)
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings)

        #expect(outcome.roundEnd == .costCeiling)
        #expect(outcome.costUSD == 2)
        #expect(meter.totalCostUSD == 2)
        #expect(outcome.winner == "spender")
        #expect(outcome.exitCode == 0)
    }
}
