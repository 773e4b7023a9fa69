import Foundation
import MGTestSupport
import Testing

/// The decision as a user meets it through the built `mg`: nothing lands when no answer passes
/// the gate, a hand merge says so, `mg stats` counts it, and MassGen's `protected_paths` hold.
@Suite struct DecisionEndToEndTests {
    static let vote = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "looks right"}}], "await_context": "Answers you can vote for: agent1, agent2.", "await_poll_ms": 30}"#

    @Test func noEligibleAnswerLandsNothingAndAHandMergeSaysItFailedTheGate() throws {
        // Both answers are wrong; both agents vote for the first.
        let fixture = try FixFixture(agents: [
            ("guesser", [FixFixture.wrongFix, FixFixture.answer("Make add() multiply."), Self.vote]),
            ("other", [
                #"{"tool_calls": [{"name": "edit_file", "arguments": {"path": "calc.sh", "old_string": "$1 - $2", "new_string": "$2 - $1"}}]}"#,
                FixFixture.answer("Swap the operands."), Self.vote,
            ]),
        ])
        try fixture.repository.write("notes.txt", "my untracked notes\n")
        let before = try fixture.repository.userStateSnapshot()
        let run = try fixture.mg(["fix", "add 2 3 prints -1", "--test", "sh test.sh"])
        #expect(run.status == 1, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("No answer passed the gate: nothing was merged and nothing of yours was changed."))
        #expect(run.stdout.contains("guesser (agent1): fixes none of the tests that fail on the base (add)"))
        #expect(run.stdout.contains("The vote was overruled: 2 votes for guesser (agent1), which may not land (fixes none"))
        #expect(!run.stdout.contains("no answer passed the gate; no answer passed the gate"))
        let session = try #require(try fixture.agentBranches().first?.split(separator: "/").dropFirst().first.map(String.init))
        #expect(run.stdout.contains("Land one anyway, by hand (it failed the gate): mg merge guesser --session \(session)"))
        #expect(try fixture.repository.userStateSnapshot() == before)

        // The log says why; a hand merge warns and then lands as asked.
        let log = try fixture.mg(["log", session])
        #expect(log.stdout.contains("decided by: no answer passed the gate"), "\(log.stdout)")
        #expect(log.stdout.contains("baseline (the base): FAILED"))
        let merge = try fixture.mg(["merge", "guesser", "--session", session])
        #expect(merge.status == 0, "stderr: \(merge.stderr)")
        #expect(merge.stderr.contains("guesser's answer failed the gate in session \(session): fixes none of the tests"))
        // Your untracked notes made the base differ from HEAD, so it lands as uncommitted edits.
        #expect(String(decoding: fixture.repository.read("calc.sh") ?? Data(), as: UTF8.self).contains("$1 * $2"))
        #expect(fixture.repository.read("notes.txt") == Data("my untracked notes\n".utf8))

        // mg stats counts the answers, the failing votes and the overruled votes.
        let stats = try fixture.mg(["stats", "--json"])
        #expect(stats.status == 0, "stderr: \(stats.stderr)")
        let rows = try stats.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let guesser = try #require(rows.first { $0["agent"] as? String == "guesser" })
        #expect(guesser["answers"] as? Int == 1 && guesser["wins"] as? Int == 0)
        #expect(guesser["answers_passing_tests"] as? Int == 0)
        #expect(guesser["votes_for_failing_answers"] as? Int == 1)
        #expect(guesser["votes_overruled_by_evidence"] as? Int == 1)
        #expect(guesser["model"] as? String == "scripted" && guesser["sessions"] as? Int == 1)
        let table = try fixture.mg(["stats"])
        #expect(table.stdout.hasPrefix("AGENT") && table.stdout.contains("guesser"))
    }

    @Test func massGenProtectedPathsAreEnforcedEndToEnd() throws {
        let write = #"{"tool_calls": [{"name": "write_file", "arguments": {"path": "docs/guide.md", "content": "changed\n"}}]}"#
        let command = #"{"tool_calls": [{"name": "run_command", "arguments": {"command": "echo changed > docs/guide.md"}}]}"#
        let fixture = try FixFixture(agents: [
            ("fixer", [write, command, FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.answer("Fix add() only."), Self.vote])
        ])
        try fixture.repository.write("docs/guide.md", "the guide\n")
        _ = try fixture.repository.git("add", "docs")
        _ = try fixture.repository.git("commit", "-qm", "docs")
        // MassGen's shape: protected_paths under a context path (here the repository itself).
        let config = try #require(fixture.repository.read(".massgen/config.yaml"))
        try fixture.repository.write(
            ".massgen/config.yaml",
            String(decoding: config, as: UTF8.self).replacingOccurrences(
                of: "orchestrator:\n",
                with: "orchestrator:\n  context_paths:\n    - path: \".\"\n      permission: write\n      protected_paths: [docs/]\n"))
        let show = try fixture.mg(["config", "show"])
        #expect(show.status == 0, "stderr: \(show.stderr)")
        #expect(show.stdout.contains("protected paths: .git/, .massgen/, .env*, /docs/"), "\(show.stdout)")
        #expect(show.stdout.contains("test command: `sh test.sh` (detected)") || show.stdout.contains("test command:"))

        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--json"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains(#""reason":"Your worktree changed protected paths: docs/guide.md is protected"#))
        #expect(try fixture.repository.git("show", "HEAD:docs/guide.md") == "the guide\n")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        let transcript = try String(
            contentsOfFile: try #require(
                FileManager.default.enumerator(atPath: fixture.path + "/.massgen/sessions")?.allObjects
                    .compactMap { $0 as? String }.first { $0.hasSuffix("fixer.turn1.jsonl") }
                    .map { fixture.path + "/.massgen/sessions/" + $0 }),
            encoding: .utf8)
        #expect(transcript.contains("write_file refused: docs/guide.md is protected"))
    }
}
