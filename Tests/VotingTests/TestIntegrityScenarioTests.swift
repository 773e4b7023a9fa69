import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// Evidence that cannot be gamed: the base's tests judge every answer, test changes are
/// labelled, and protected paths hold — in real sessions with scripted agents.
@Suite struct TestIntegrityScenarioTests {
    typealias F = CalculatorFixture

    private static func run(_ command: String) -> ScriptedTurn {
        Turn.call("run_command", ["command": .string(command)])
    }

    @Test func deletingTheFailingAssertionPassesItsOwnTestsButNotTheBases() async throws {
        let repository = try F.repository()
        let sink = CollectingEventSink()
        let recorder = TranscriptKeepingRecorder(agents: ["cheater", "honest"])
        let agents = [
            F.agent(
                "cheater",
                [
                    Turn.write("test.sh", "#!/bin/sh\necho ok\n"),  // refused: an existing test file
                    Self.run("sed -i '/add 2 3/d' test.sh"),
                    Turn.answer("Added a new test case."),
                ] + Turn.votes("agent1")),
            F.agent("honest", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1")),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink, recorder: recorder)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "honest")
        let cheater = try #require(outcome.ranking.first { $0.anonymousID == "agent1" })
        #expect(!cheater.eligible && cheater.changesTests)
        #expect(cheater.rule.hasPrefix("fixes none of the tests that fail on the base"), "\(cheater.rule)")
        #expect(outcome.decision?.overruled?.contains("cheater (agent1)") == true)
        // The tool refused the direct edit with a message the model can read.
        let results = await recorder.results("cheater")
        #expect(results.contains { $0.name == "write_file" && $0.isError && $0.content.contains("existing test file") })
        // Labelled everywhere: the answer event, the test result (judged by the base's tests), and
        // the other agent's context.
        let answer = try #require(await sink.events(of: .answer).first { $0.agent == "cheater" && $0.accepted == true })
        #expect(answer.changesTests == true)
        let tests = try #require(await sink.events(of: .testResult).first { $0.agent == "cheater" })
        #expect(tests.passed == false && tests.changesTests == true)
        #expect(tests.detail?.hasPrefix("base's tests: failed") == true && tests.detail?.contains("its own tests: passed") == true)
        // The user's test file is untouched.
        #expect(try repository.git("show", "HEAD:test.sh") == F.testScript)
    }

    @Test func anAnswerThatAddsATestAndFixesTheCodeIsJudgedWithoutItsNewTest() async throws {
        let repository = try TemporaryRepository()
        try repository.write("calc.py", "def add(a, b):\n    return a - b\n")
        try repository.write(
            "test_calc.py",
            "import unittest\nfrom calc import add\n\n\nclass CalcTests(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n")
        _ = try repository.commitAll("initial")
        var settings = F.settings()
        settings.testCommand = .command("PYTHONDONTWRITEBYTECODE=1 python3 -m unittest -v")
        settings.commandSettings.extraEnvironment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        let sink = CollectingEventSink()
        let agents = [
            F.agent(
                "tester",
                [
                    Turn.edit("calc.py", "a - b", "a + b"),
                    Turn.write(
                        "test_more.py",
                        "import unittest\nfrom calc import add\n\n\nclass MoreTests(unittest.TestCase):\n    def test_zero(self):\n        self.assertEqual(add(0, 0), 0)\n"),
                    Turn.answer("Fix add() and test adding zero."),
                ] + Turn.votes("agent1"))
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings, events: sink)

        #expect(outcome.exitCode == 0, "\(outcome.ranking)")
        #expect(outcome.ranking.first?.eligible == true && outcome.ranking.first?.changesTests == false)
        let tests = try #require(await sink.events(of: .testResult).first)
        // Two runs: the base's tests alone (1 test) judge; its own run has the new test too.
        #expect(tests.detail?.contains("base's tests: passed") == true, "\(tests.detail ?? "")")
        #expect(tests.passedCount == 1)
        #expect(try repository.git("show", "HEAD:test_more.py").contains("test_zero"))
    }

    @Test func allowingTestChangesLetsTheAnswersOwnTestsJudge() async throws {
        let repository = try F.repository()
        var settings = F.settings()
        settings.allowTestChanges = true
        let agents = [
            F.agent(
                "rewriter",
                [
                    Turn.edit("test.sh", "\"$(add 2 3)\" = \"5\"", "\"$(add 2 3)\" = \"-1\""),
                    Turn.answer("The task: the test should expect add to subtract."),
                ] + Turn.votes("agent1"))
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "make the test expect subtraction", repositoryRoot: repository.path, agents: agents,
            settings: settings)
        #expect(outcome.exitCode == 0)
        let entry = try #require(outcome.ranking.first)
        #expect(entry.eligible && entry.changesTests && entry.rule == "its own tests pass")
        #expect(try repository.git("show", "HEAD:test.sh").contains("= \"-1\""))
    }

    @Test func aProtectedPathChangedByACommandMakesTheAnswerInvalid() async throws {
        let repository = try F.repository()
        var settings = F.settings()
        settings.protectedPaths = ["README.md"]
        let sink = CollectingEventSink()
        let agents = [
            F.agent(
                "sneaky",
                [
                    Self.run("echo 'hacked' > README.md"), F.correctFix, Turn.answer("Fix add()."),
                    Turn.answer("Fix add(), README left alone."),
                ] + Turn.votes("agent1"))
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: settings, events: sink)

        let rejected = await sink.events(of: .answer).filter { $0.accepted == false }.compactMap(\.reason)
        #expect(rejected.count == 1)
        #expect(rejected.first?.contains("Your worktree changed protected paths: README.md is protected") == true)
        #expect(rejected.first?.contains("mg put them back") == true)
        #expect(outcome.exitCode == 0 && outcome.winner == "sneaky")
        #expect(try repository.git("show", "HEAD:README.md") == "A calculator.\n")
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
    }
}
