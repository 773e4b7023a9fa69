import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// The decision (DESIGN §1.6a) in real sessions: scripted agents, real worktrees, real test runs.
@Suite struct DecisionScenarioTests {
    typealias F = CalculatorFixture
    let session = "20260103-000000-gate"

    private func head(_ repository: TemporaryRepository) throws -> String {
        try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `calc.sh` with both functions broken (add subtracts, mul adds); `test.sh` checks both.
    static func twoBugs() throws -> TemporaryRepository {
        let repository = try TemporaryRepository()
        try repository.write("calc.sh", "add() { echo $(($1 - $2)); }\nmul() { echo $(($1 + $2)); }\n")
        try repository.write("test.sh", F.testScript)
        try repository.write("README.md", "A calculator.\n")
        _ = try repository.commitAll("initial")
        return repository
    }

    static let bothFixed = Turn.write("calc.sh", "add() { echo $(($1 + $2)); }\nmul() { echo $(($1 * $2)); }\n")
    static let addFixed = Turn.write("calc.sh", "add() { echo $(($1 + $2)); }\nmul() { echo $(($1 + $2)); }\n")

    @Test func theMajorityVotesForAFailingAnswerAndThePassingOneLands() async throws {
        let repository = try F.repository()
        let sink = CollectingEventSink()
        let agents = [
            F.agent("right", [F.correctFix, Turn.answer("Fix add(): use +.")] + Turn.votes("agent1")),
            F.agent("wrong", [F.wrongFix, Turn.answer("Make add() multiply.")] + Turn.votes("agent2")),
            F.agent("follower", [Turn.vote("agent2", "agent2 looks right")] + Turn.votes("agent2")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "add 2 3 prints -1", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "right")
        #expect(outcome.ranking.map(\.votes) == [1, 2])
        let decision = try #require(outcome.decision)
        #expect(decision.rule.hasPrefix("agent1: tests pass"))
        #expect(decision.overruled?.hasPrefix("2 votes for wrong (agent2), which may not land") == true, "\(decision)")
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        let round = try #require(await sink.events(of: .roundFinished).first)
        #expect(round.overruled == decision.overruled && round.rule == decision.rule && round.eligible == true)
        let baseline = try #require(await sink.events(of: .baseline).first)
        #expect(baseline.passed == false && baseline.failedTests == ["add"])
    }

    @Test func aBaseThatPassesIsNotReplacedByAnAnswerThatFails() async throws {
        let repository = try F.repository()
        // The bug is already fixed in the working tree (uncommitted), with an untracked note.
        try repository.write("calc.sh", F.buggy.replacingOccurrences(of: "$1 - $2", with: "$1 + $2"))
        try repository.write("notes.txt", "mine\n")
        let before = try repository.userStateSnapshot()
        let agents = [
            F.agent(
                "breaker",
                [Turn.edit("calc.sh", "$1 * $2", "$1 - $2"), Turn.answer("Tidy mul().")] + Turn.votes("agent1"))
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "tidy calc.sh", repositoryRoot: repository.path, agents: agents, settings: F.settings())

        #expect(outcome.exitCode == 1)
        #expect(outcome.kind == .noEligibleAnswer)
        #expect(outcome.ranking.first?.rule == "tests fail (mul) while they pass on the base")
        #expect(try repository.userStateSnapshot() == before, "nothing of the user's changed")
        // The answer stays on its branch for review (and `mg merge` by hand).
        #expect(try repository.git("show", "massgen/\(F.settings().sessionID ?? "")/breaker:calc.sh").contains("$1 - $2"))
        _ = try repository.fsck()
    }

    @Test func fixingOneTestWhileBreakingAnotherIsNotProgress() async throws {
        let repository = try F.repository()
        let agents = [
            F.agent(
                "trader",
                [
                    Turn.write("calc.sh", "add() { echo $(($1 + $2)); }\nmul() { echo $(($1 + $2)); }\n"),
                    Turn.answer("Fix add()."),
                ] + Turn.votes("agent1"))
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings())
        #expect(outcome.exitCode == 1)
        #expect(outcome.ranking.first?.rule == "breaks mul, which passed on the base")
        #expect(outcome.decision?.rule == "no answer passed the gate")
    }

    @Test func aFailingGateCommandExcludesTheTopAnswerAndTheNextOneLands() async throws {
        let repository = try F.repository()
        let sink = CollectingEventSink()
        var settings = F.settings()
        settings.gateCommands = ["test ! -e NOTES.txt"]
        let agents = [
            F.agent(
                "noter",
                [F.correctFix, Turn.write("NOTES.txt", "todo\n"), Turn.answer("Fix add(); notes.")]
                    + Turn.votes("agent1")),
            F.agent("plain", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings, events: sink)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "plain")
        let excluded = try #require(outcome.ranking.first { $0.anonymousID == "agent1" })
        #expect(!excluded.eligible && excluded.rule.hasPrefix("gate command `test ! -e NOTES.txt` failed"))
        #expect(outcome.decision?.overruled?.contains("noter (agent1)") == true)
        #expect(!FileManager.default.fileExists(atPath: repository.path + "/NOTES.txt"))
        let gateRuns = await sink.events(of: .testResult).filter { $0.tool == "gate_command" }
        #expect(gateRuns.map(\.agent) == ["noter", "plain"] && gateRuns.map(\.passed) == [false, true])
    }

    @Test(arguments: [VotingPolicy.evidenceFirst, .votesFirst])
    func votesFirstKeepsMassGensOrderButTheGateHolds(policy: VotingPolicy) async throws {
        let repository = try Self.twoBugs()
        var settings = F.settings()
        settings.votingPolicy = policy
        let agents = [
            F.agent("full", [Self.bothFixed, Turn.answer("Fix add() and mul().")] + Turn.votes("agent2")),
            F.agent("half", [Self.addFixed, Turn.answer("Fix add().")] + Turn.votes("agent2")),
            F.agent("none", [F.wrongFix, Turn.answer("Make add() multiply.")] + Turn.votes("agent3")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix calc", repositoryRoot: repository.path, agents: agents, settings: settings)

        #expect(outcome.exitCode == 0)
        // "none" fixes nothing and has a vote; it never lands. Among the eligible, the policy decides.
        #expect(outcome.ranking.last?.anonymousID == "agent3" && outcome.ranking.last?.eligible == false)
        switch policy {
        case .evidenceFirst:
            #expect(outcome.winner == "full")
            #expect(outcome.ranking.first?.decidedBy == "tests")
        case .votesFirst:
            #expect(outcome.winner == "half")
            #expect(outcome.ranking.first?.rule == "partial progress: fixes add; still failing mul")
        }
    }

    @Test func nothingToChangeEndsWithoutACommit() async throws {
        let repository = try F.repository()
        _ = try repository.git("checkout", "-q", "-b", "fixed")
        try repository.write("calc.sh", F.buggy.replacingOccurrences(of: "$1 - $2", with: "$1 + $2"))
        _ = try repository.commitAll("fix add")
        let before = try head(repository)
        let sink = CollectingEventSink()
        let agents = [
            F.agent("checker", [Turn.answer("add() already adds; the tests pass. Nothing to change.")] + Turn.votes("agent1")),
            F.agent("agreer", [Turn.vote("agent1", "no change needed")] + Turn.votes("agent1")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "add 2 3 prints -1", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink)

        #expect(outcome.exitCode == 0)
        #expect(outcome.kind == .nothingToChange)
        #expect(outcome.operation == nil)
        #expect(try head(repository) == before, "no commit on the user's branch")
        #expect(try repository.git("status", "--porcelain").isEmpty)
        #expect(outcome.ranking.first?.noChange == true && outcome.ranking.first?.eligible == true)
        let merged = try #require(await sink.events(of: .merged).first)
        #expect(merged.noChange == true)
        #expect(await sink.events(of: .sessionFinished).first?.outcome == "nothing_to_change")
    }

    @Test func agentsSeeTheAnswersInTheirOwnRecordedOrderUnderBlindIDs() async throws {
        let repository = try F.repository()
        // A seed whose ids are not in configuration order, under which, once all three answers
        // are in, the first agent sees the other two shuffled and the second sees them sorted.
        func others(_ plan: BallotPlan, _ viewer: Int) -> [String] {
            plan.anonymousIDs.enumerated().filter { $0.offset != viewer }.map(\.element)
        }
        let seed = try #require((UInt64(1)...500).first { seed in
            let plan = BallotPlan(agentCount: 3, seed: seed)
            let first = plan.order(others(plan, 0), viewer: 0, serial: 3)
            let second = plan.order(others(plan, 1), viewer: 1, serial: 3)
            return plan.anonymousIDs != ["agent1", "agent2", "agent3"] && first != first.sorted()
                && second == second.sorted()
        })
        let plan = BallotPlan(agentCount: 3, seed: seed)
        var settings = F.settings()
        settings.ballotSeed = seed
        let fixerID = plan.anonymousIDs[0]
        let recorder = InMemorySessionRecorder()
        let all = ["agent1", "agent2", "agent3"]
        let waitForAll: GatedScriptBackend.Gate = { turn, request in
            guard turn.toolCalls?.first?.name == "vote" else { return true }
            let text = request.messages.map(\.text).joined()
            return text.contains("Answers you can vote for: " + all.joined(separator: ", "))
        }
        let backends = [
            GatedScriptBackend(
                [F.correctFix, Turn.answer("Fix add().")] + Turn.votes(fixerID, count: 12), gate: waitForAll),
            GatedScriptBackend(
                [Turn.edit("README.md", "A calculator.", "A calculator!"), Turn.answer("README.")]
                    + Turn.votes(fixerID, count: 12), gate: waitForAll),
            GatedScriptBackend(
                [F.wrongFix, Turn.answer("Multiply.")] + Turn.votes(fixerID, count: 12), gate: waitForAll),
        ]
        let agents = zip(["fixer", "writer", "guesser"], backends).map {
            AgentSpec(id: $0, backend: $1, model: "scripted-\($0)")
        }
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings, recorder: recorder)
        #expect(outcome.exitCode == 0 && outcome.winner == "fixer")
        #expect(outcome.agents.map(\.anonymousID) == plan.anonymousIDs)

        let shown = await recorder.changes.compactMap { change -> BallotOrderRecord? in
            if case .ballotShown(let order) = change { return order } else { return nil }
        }
        let finalOrders = Dictionary(
            shown.filter { $0.serial == 3 }.map { ($0.agent, $0.order) }, uniquingKeysWith: { first, _ in first })
        for record in shown {
            let viewer = try #require(["fixer", "writer", "guesser"].firstIndex(of: record.agent))
            #expect(record.order == plan.order(record.order, viewer: viewer, serial: record.serial), "recorded = replayable")
        }
        let fixerOrder = try #require(finalOrders["fixer"])
        let writerOrder = try #require(finalOrders["writer"])
        #expect(fixerOrder != fixerOrder.sorted() && writerOrder == writerOrder.sorted(), "two agents, two orders")
        // What each backend was sent lists the answers in the recorded order, and never another
        // agent's name, model, branch or trailers.
        for (index, backend) in backends.enumerated() {
            let name = agents[index].id
            let last = try #require(backend.requestTexts.last { $0.contains("Answers you can vote for: agent1, agent2, agent3") })
            let order = try #require(finalOrders[name])
            let positions = order.map { last.range(of: "## \($0) (answer")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil } && positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            for other in agents.map(\.id) where other != name {
                for text in backend.requestTexts {
                    #expect(!text.contains(other) && !text.contains("scripted-\(other)"))
                    #expect(!text.contains("massgen/") && !text.contains("Mg-Agent") && !text.contains("Mg-Session"))
                }
            }
        }
    }

    @Test func noWorktreePathReachesAnAgent() async throws {
        let repository = try F.repository()
        // The test script names its own absolute path when it fails, as tracebacks do.
        try repository.write(
            "test.sh", F.testScript.replacingOccurrences(of: "exit $status", with: "[ $status = 0 ] || echo \"$(pwd)/test.sh: failed\"\nexit $status"))
        _ = try repository.commitAll("tests name their path")
        let manager = try CodingSessionManager.open(repositoryRoot: repository.path)
        let first = [
            GatedScriptBackend([F.wrongFix, Turn.answer("Multiply."), Turn.call("run_command", ["command": .string("sh test.sh; pwd")])] + Turn.votes("agent2")),
            GatedScriptBackend([F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent2")),
        ]
        let turn1 = try await manager.start(
            task: "fix add", agents: zip(["a", "b"], first).map { AgentSpec(id: $0, backend: $1, model: "m") },
            settings: F.settings(session: session))
        #expect(turn1.outcome.winner == "b")
        let second = [
            GatedScriptBackend([Turn.call("run_command", ["command": .string("sh test.sh; pwd")]), Turn.edit("README.md", "A calculator.", "A calculator that adds."), Turn.answer("Docs.")] + Turn.votes("agent1")),
        ]
        var settings = F.settings(session: "ignored")
        settings.sessionID = nil
        let turn2 = try await manager.continueSession(
            task: "document add", agents: [AgentSpec(id: "a", backend: second[0], model: "m")], settings: settings)
        #expect(turn2.outcome.exitCode == 0)
        let texts = (first + second).flatMap(\.requestTexts)
        #expect(texts.contains { $0.contains("test.sh: failed") }, "the failing output was shown")
        for text in texts {
            #expect(!text.contains(".massgen/workspaces"), "\(text.suffix(300))")
            #expect(!text.contains(repository.path), "\(text.suffix(300))")
        }
    }
}
