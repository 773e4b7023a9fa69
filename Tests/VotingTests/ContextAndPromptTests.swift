import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

@Suite struct ContextBuilderTests {
    private func answer(
        _ index: Int, summary: String, patch: String, complete: Bool = true, passed: Bool? = true
    ) -> AnswerSnapshot {
        let evidence = passed.map {
            AnswerEvidence(own: TestEvidence(
                command: "sh test.sh", ran: true, passed: $0, exitCode: $0 ? 0 : 1, timedOut: false,
                passedCount: 2,
                failedCount: $0 ? 0 : 1, failedTests: $0 ? [] : ["add"],
                outputTail: $0 ? "" : "not ok 1 - add",
                failureReason: nil, durationMilliseconds: 3))
        }
        let commit = ObjectID(hex: String(repeating: "\(index)", count: 40)) ?? .emptyTree
        return AnswerSnapshot(
            agent: "secret-name-\(index)", anonymousID: "agent\(index)", configIndex: index - 1, iteration: 1,
            commit: commit,
            summary: summary, patch: patch, omittedHunks: complete ? 0 : 3,
            stat: "", diffLines: 2, evidence: evidence)
    }

    @Test func showsTaskOwnAnswerAndOthersAnonymously() {
        let builder = ContextBuilder(prompts: .embedded, sensitivity: .strict)
        let text = builder.text(
            task: "Fix add.", me: "agent2",
            answers: [
                answer(2, summary: "Mine.", patch: "diff --git a/x b/x\n"),
                answer(1, summary: "Theirs.", patch: "diff --git a/y b/y\n", passed: false),
            ],
            restart: true)
        #expect(text.hasPrefix("# Task\n\nFix add.\n"))
        #expect(text.contains("# Your previous answer (agent2, answer 1)\n\nSummary:\n> Mine."))
        #expect(text.contains("## agent1 (answer 1)\n\nSummary:\n> Theirs."))
        #expect(text.contains("Tests (`sh test.sh`): failed (exit code 1), 2 passed, 1 failed; failing: add"))
        #expect(text.contains("not ok 1 - add"))
        #expect(text.contains(PromptLibrary.embedded.text(.restartNotice)))
        #expect(text.contains(PromptLibrary.embedded.evaluation(.strict)))
        #expect(text.contains("Answers you can vote for: agent1, agent2."))
        #expect(!text.contains("secret-name"))
    }

    @Test func firstRunHasNoAnswersAndNoRubric() {
        let text = ContextBuilder(prompts: .embedded, sensitivity: .balanced).text(
            task: "T", me: "agent1", answers: [], restart: false)
        #expect(text.contains("You have not given an answer yet."))
        #expect(text.contains("None yet."))
        #expect(!text.contains("How to continue"))
        #expect(!text.contains(PromptLibrary.embedded.text(.restartNotice)))
    }

    @Test func largeDiffsAreCutToTheBudget() {
        let big = String(repeating: "+line\n", count: 1000)
        let builder = ContextBuilder(prompts: .embedded, sensitivity: .balanced, patchBudgetPerAnswer: 500)
        let text = builder.text(
            task: "T", me: "agent2", answers: [answer(1, summary: "S", patch: big)], restart: false)
        #expect(text.contains("cut to 500 bytes; use view_answer"))
        #expect(text.utf8.count < 500 + 3000)
        let partial = builder.text(
            task: "T", me: "agent2", answers: [answer(1, summary: "S", patch: "stat\n", complete: false)],
            restart: false)
        #expect(partial.contains("3 hunk(s) not shown"))
    }
}

/// Every first user message a backend was sent.
actor ContextLog {
    private(set) var texts: [String] = []
    func append(_ text: String) { texts.append(text) }
}

/// The "# Repository" section: the base's files and the test command.
@Suite struct RepositoryOverviewTests {
    typealias F = CalculatorFixture

    @Test func aSmallRepositoryIsListedWholeWithItsTestCommand() throws {
        let repository = try F.repository()
        let tree = try #require(ObjectID(hex: try repository.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)))
        let listing = try Repository.open(at: repository.path).listing(ofTree: tree, pathLimit: RepositoryOverview.pathLimit)
        let overview = RepositoryOverview(listing: listing, testCommand: "sh test.sh")
        #expect(overview.text.hasPrefix("# Repository\n\nFiles (3):\nREADME.md\ncalc.sh\ntest.sh\n\n"))
        #expect(overview.text.contains("Tests: `sh test.sh` runs in your worktree after each new_answer"))
        let untested = RepositoryOverview(listing: overview.listing, testCommand: nil)
        #expect(untested.text.contains("no test command is configured or detected"))
    }

    @Test func aLargeRepositoryShowsItsTopLevelWithCounts() {
        let top = (0..<70).map { TreeListing.TopLevelEntry(name: "dir\($0)", isFolder: true, files: 3) }
            + [TreeListing.TopLevelEntry(name: "Makefile", isFolder: false, files: 1)]
        let listing = TreeListing(
            paths: Array(repeating: "x", count: RepositoryOverview.pathLimit), totalFiles: 211,
            countLimitReached: false, topLevel: [TreeListing.TopLevelEntry(name: "one", isFolder: true, files: 1)] + top)
        let text = RepositoryOverview(listing: listing, testCommand: nil).text
        #expect(text.contains("The repository has 211 files. Top level:\none/ (1 file)\ndir0/ (3 files)\n"))
        #expect(text.contains("… and 12 more entries\nUse list_files with a folder to look inside it."))
        #expect(!text.contains("\nx\n"))
        var capped = listing
        capped.countLimitReached = true
        #expect(RepositoryOverview(listing: capped, testCommand: nil).text.contains("has more than 211 files"))
        let empty = TreeListing(paths: [], totalFiles: 0, countLimitReached: false, topLevel: [])
        #expect(RepositoryOverview(listing: empty, testCommand: nil).text.contains("no files yet"))
    }

    @Test func everyAgentStartsWithTheOverview() async throws {
        let repository = try F.repository()
        let seen = ContextLog()
        let capture: GatedScriptBackend.Gate = { turn, request in
            await seen.append(request.messages.first { $0.role == .user }?.text ?? "")
            return await GatedScriptBackend.voteTargetVisible(turn, request)
        }
        let agents = [
            F.agent("fixer", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1"), gate: capture),
            F.agent("judge", Turn.votes("agent1"), gate: capture),
        ]
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings())
        #expect(outcome.winner == "fixer")
        let contexts = await seen.texts
        #expect(!contexts.isEmpty)
        for text in contexts {
            #expect(text.contains("# Repository\n\nFiles (3):\nREADME.md\ncalc.sh\ntest.sh\n"))
            #expect(text.contains("Tests: `sh test.sh` runs in your worktree"))
        }
    }
}

@Suite struct PromptLibraryTests {
    @Test func embeddedPromptsMatchTheFilesOnDisk() throws {
        // The package root is three levels above this file (Tests/VotingTests/x.swift).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let folder = root + "/prompts"
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasSuffix(".md")
        }
        #expect(onDisk.sorted() == EmbeddedPrompts.files.keys.sorted(), "run scripts/embed-resources")
        for name in onDisk {
            #expect(
                try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
                    == EmbeddedPrompts.files[name],
                "\(name) is stale: run scripts/embed-resources")
        }
        // Every prompt the library names exists.
        for name in PromptLibrary.Name.allCases {
            #expect(!PromptLibrary.embedded.text(name).isEmpty, "\(name.rawValue)")
        }
    }

    @Test func projectFilesOverrideEmbeddedPrompts() throws {
        let repository = try TemporaryRepository()
        try repository.write(".massgen/prompts/restart-notice.md", "Start again, please.\n")
        let library = PromptLibrary.forProject(repositoryRoot: repository.path)
        #expect(library.text(.restartNotice) == "Start again, please.")
        #expect(library.text(.system) == PromptLibrary.embedded.text(.system))
        #expect(library.evaluation(.lenient) != library.evaluation(.strict))
    }
}

@Suite struct SessionEventTests {
    @Test func jsonUsesTheDocumentedFieldNames() throws {
        var event = SessionEvent(
            .testResult, session: "s1", time: Date(timeIntervalSince1970: 0), agent: "fixer")
        event.anonymousID = "agent1"
        event.passed = false
        event.passedCount = 3
        event.failedTests = ["add"]
        event.exitCode = 2
        #expect(
            event.jsonLine()
                == #"{"agent":"fixer","anonymous_id":"agent1","event":"test_result","exit_code":2,"failed_tests":["add"],"passed":false,"passed_count":3,"session":"s1","time":"1970-01-01T00:00:00.000Z"}"#
        )
        let kinds = SessionEvent.Kind.allCases.map(\.rawValue)
        #expect(
            kinds == [
                "session_started", "agent_state", "tool_call", "answer", "baseline", "test_result", "vote",
                "round_finished", "merged", "merge_refused", "error", "session_finished",
            ])
    }

    @Test func everyKindAndFieldIsDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let doc = try String(contentsOfFile: root + "/docs/events.md", encoding: .utf8)
        for kind in SessionEvent.Kind.allCases {
            #expect(doc.contains("`\(kind.rawValue)`"), "\(kind.rawValue)")
        }
        for phase in SessionEvent.Phase.allCases {
            #expect(doc.contains("`\(phase.rawValue)`"), "\(phase.rawValue)")
        }
        let fields = [
            "event", "session", "time", "agent", "anonymous_id", "phase", "tool", "detail", "accepted",
            "reason", "iteration",
            "commit", "branch", "target", "passed", "passed_count", "failed_tests", "diff_lines", "winner",
            "votes",
            "similarity", "hint", "message", "outcome", "exit_code", "cost_usd", "changes_tests", "no_change",
            "eligible", "rule", "overruled", "test_command",
        ]
        for field in fields { #expect(doc.contains("`\(field)`"), "\(field)") }
    }

    @Test func sessionIDsHaveTheDocumentedShape() {
        let id = OrchestratorSettings.generateSessionID()
        #expect(id.range(of: #"^\d{8}-\d{6}-[0-9a-f]{4}$"#, options: .regularExpression) != nil)
    }
}
