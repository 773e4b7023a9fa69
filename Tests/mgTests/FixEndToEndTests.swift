import Foundation
import MGTestSupport
import Testing

/// `mg fix` run as a user runs it, with scripted agents: output, exit codes, and git's own view
/// of what mg did.
@Suite struct FixEndToEndTests {
    @Test func fixMergesTheTestedWinnerAndSaysWhatHappened() throws {
        let fixture = try FixFixture.twoAgents()
        let head = try fixture.repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try fixture.mg(["fix", "add 2 3 prints -1", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        // Plain timestamped lines, no escape codes when piped.
        #expect(!run.stdout.contains("\u{1B}"))
        #expect(run.stdout.contains("fixer votes for agent1: its tests pass"))
        #expect(run.stdout.contains("fixer: tests pass"))
        #expect(run.stdout.contains("guesser: tests fail"))
        #expect(run.stdout.contains("Winner: fixer (agent1) — tests pass, 2 of 2 votes"))
        #expect(run.stdout.contains("Base (before any change): failed (exit code 1)"))
        #expect(run.stdout.contains("Decided by: agent1: tests pass; ahead of agent2 on the gate"))
        #expect(run.stdout.contains("Landed: committed as "))
        let branches = try fixture.agentBranches()
        #expect(branches.count == 2)
        let session = try #require(branches.first?.split(separator: "/").dropFirst().first.map(String.init))
        for agent in ["fixer", "guesser"] {
            #expect(run.stdout.contains("massgen/\(session)/\(agent)"))
            let trailers = try fixture.repository.git("log", "-1", "--format=%(trailers:only)", "massgen/\(session)/\(agent)")
            #expect(trailers.contains("Mg-Session: \(session)") && trailers.contains("Mg-Agent: \(agent)"))
        }
        #expect(run.stdout.contains("mg diff guesser --session \(session)"))
        #expect(run.stdout.contains("mg merge guesser --session \(session)"))
        // The squash commit sits on the old HEAD and holds the fix; the tree is clean.
        #expect(try fixture.repository.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines) == head)
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        #expect(try fixture.repository.git("status", "--porcelain", "--untracked-files=no").isEmpty)
        _ = try fixture.repository.fsck()
        let worktrees = try fixture.repository.git("worktree", "list", "--porcelain")
        #expect(worktrees.components(separatedBy: "worktree ").count - 1 == 1)
    }

    @Test func jsonPrintsOneEventPerLineInAValidOrder() throws {
        let fixture = try FixFixture.twoAgents()
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        var events: [[String: Any]] = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            events.append(try #require(object, "not one JSON object: \(line)"))
        }
        let kinds = events.map { $0["event"] as? String ?? "" }
        #expect(kinds.first == "session_started")
        #expect(kinds.last == "session_finished")
        #expect(kinds.filter { $0 == "session_started" || $0 == "session_finished" }.count == 2)
        let session = events.first?["session"] as? String
        #expect(events.allSatisfy { $0["session"] as? String == session && $0["time"] is String })
        // Every counted vote comes after an accepted answer for its target; tests after their answer.
        var answered: Set<String> = []
        for event in events {
            switch event["event"] as? String {
            case "answer"? where event["accepted"] as? Bool == true:
                answered.insert(event["anonymous_id"] as? String ?? "")
            case "vote"? where event["accepted"] as? Bool == true:
                #expect(answered.contains(event["target"] as? String ?? "?"))
                #expect(event["detail"] as? String == "its tests pass")
            case "test_result"?:
                #expect(answered.contains(event["anonymous_id"] as? String ?? "?"))
            default: break
            }
        }
        let roundEnd = try #require(kinds.firstIndex(of: "round_finished"))
        let merged = try #require(kinds.firstIndex(of: "merged"))
        #expect(roundEnd < merged && merged < kinds.count - 1)
        #expect(events.last?["exit_code"] as? Int == 0 && events.last?["outcome"] as? String == "success")
        // Human text went to stderr.
        #expect(run.stderr.contains("Winner: fixer"))
        #expect(run.stderr.contains("session \(session ?? "?") started"))
    }

    @Test func quietPrintsOnlyTheResult() throws {
        let fixture = try FixFixture.twoAgents()
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.hasPrefix("Base (before any change): failed"))
        #expect(run.stdout.contains("\nWinner: fixer (agent1)"))
        #expect(run.stdout.range(of: #"(?m)^\d\d:\d\d:\d\d "#, options: .regularExpression) == nil)
        #expect(run.stderr.isEmpty)
    }

    @Test func allAgentsFailingExitsOne() throws {
        let fixture = try FixFixture(agents: [("mute", []), ("silent", [])])
        let before = try fixture.repository.userStateSnapshot()
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 1, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("No acceptable answer"))
        #expect(run.stdout.contains("mute:") && run.stdout.contains("silent:"))
        #expect(try fixture.repository.userStateSnapshot() == before)
        _ = try fixture.repository.fsck()
    }

    @Test func anAgentPastItsOwnTimeLimitIsDroppedAndTheOthersFinish() throws {
        let vote = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "tests pass"}}]}"#
        let fixture = try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add()."), vote]),
            ("sleeper", [#"{"text": "Thinking it over.", "delay_ms": 60000}"#]),
        ])
        // Only the sleeper has a limit (`timeout_seconds` of the agent in the config).
        let config = try #require(fixture.repository.read(".massgen/config.yaml"))
        try fixture.repository.write(
            ".massgen/config.yaml",
            String(decoding: config, as: UTF8.self).replacingOccurrences(
                of: "  - id: sleeper\n", with: "  - id: sleeper\n    timeout_seconds: 1\n"))
        let started = Date()
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(Date().timeIntervalSince(started) < 50, "the 60 s model call was not cut short")
        #expect(run.stdout.contains("Winner: fixer"))
        // The report's agent list names the reason whole, and offers no "other answer" to land.
        #expect(
            run.stdout.contains("sleeper  agent2, no answer (stopped: its 1 s time limit passed (timeout_seconds, --agent-timeout))"),
            "\(run.stdout)")
        #expect(!run.stdout.contains("Land another answer"))
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        _ = try fixture.repository.fsck()
    }

    @Test func aFileEditedDuringTheSessionMakesTheMergeRefusedWithExitTwo() throws {
        // The agents answer only after 1.5 s; meanwhile the user edits calc.sh.
        let fixture = try FixFixture.twoAgents(answerDelay: 1500)
        let running = try fixture.start(["fix", "fix add", "--test", "sh test.sh"])
        #expect(running.waitFor(" started"))
        try fixture.repository.write("calc.sh", "add() { echo $(($1 + $2)); }  # the user's own fix\n")
        let after = try fixture.repository.userStateSnapshot()
        let status = running.wait()
        #expect(status == 2, "stdout: \(running.stdout)\nstderr: \(running.stderr)")
        #expect(running.stdout.contains("but it was not merged"))
        #expect(running.stdout.contains("mg merge fixer --session "))
        // The user's edit is kept; mg changed nothing of theirs.
        #expect(try fixture.repository.userStateSnapshot() == after)
        #expect(try fixture.agentBranches().count == 2)
        _ = try fixture.repository.fsck()
    }
}
