import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// The built `mg` through a two-turn session: recording, `sessions`, `log`, `continue`,
/// `undo` (refusal and success), `migrate`, and `chat` over a pseudo-terminal.
@Suite struct SessionCommandsTests {
    @Test func fixIsRecordedListedLoggedContinuedAndUndone() throws {
        let fixture = try SessionFixture()
        let before = try fixture.repository.userStateSnapshot()
        let worktreePath = fixture.path + "/.massgen/workspaces/x/fixer/calc.sh"
        let fix = try fixture.config(
            "fix", edit: "$1 - $2", "$1 + $2", summary: "Fixed add() in \(worktreePath).")
        let run = try fixture.mg("fix", "add 2 3 prints -1", "--config", fix, "-q")
        #expect(run.status == 0, "\(run.stderr)")
        let fixed = try fixture.repository.userStateSnapshot()

        // mg sessions (table and JSON) and mg log.
        let table = try fixture.mg("sessions")
        #expect(table.stdout.contains("finished"))
        #expect(table.stdout.contains("add 2 3 prints -1"))
        // JSON Lines: one session object per line.
        let sessions = try fixture.mg("sessions", "--json").stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(sessions.count == 1)
        let session = try #require(sessions.first?["id"] as? String)
        #expect(sessions.first?["winner"] as? String == "fixer")
        // snake_case keys and ISO times, like the session events.
        #expect((sessions.first?["started_at"] as? String)?.hasSuffix("Z") == true)
        #expect(sessions.first?["cost_usd"] != nil && sessions.first?["startedAt"] == nil)
        #expect(sessions.first?["prompt_tokens"] as? Int == 0 && sessions.first?["cached_tokens"] as? Int == 0)
        let log = try fixture.mg("log").stdout
        #expect(log.contains("answer fixer#1"))
        #expect(log.contains("Fixed add() in calc.sh."))
        #expect(log.contains("vote r1 fixer -> agent1: tests pass"))
        #expect(log.contains("merge: merge:squash"))
        #expect(!log.contains(".massgen/workspaces"))
        // Transcript and event log in the session folder.
        let folder = fixture.path + "/.massgen/sessions/" + session
        #expect(FileManager.default.fileExists(atPath: folder + "/transcripts/fixer.turn1.jsonl"))
        #expect(try String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8).contains("session_finished"))

        // A second turn continues from the merged result.
        let more = try fixture.config("more", edit: "$1 * $2", "$2 * $1", summary: "Swapped mul().")
        let second = try fixture.mg("continue", "make mul() symmetric", "--config", more, "-q")
        #expect(second.status == 0, "\(second.stderr)")
        let logJSON = try JSONSerialization.jsonObject(with: Data(try fixture.mg("log", session, "--json").stdout.utf8))
        let turns = try #require((logJSON as? [String: Any])?["turns"] as? [[String: Any]])
        #expect(turns.count == 2)
        // The second turn's session_started shows its own task; what the agent received (its
        // transcript) carries the normalized history before it.
        let events = try String(contentsOfFile: folder + "/events.jsonl", encoding: .utf8)
        #expect(events.contains(#""detail":"make mul() symmetric","event":"session_started""#))
        #expect(!events.contains("User (turn 1): add 2 3 prints -1"))
        let transcript = try String(contentsOfFile: folder + "/transcripts/fixer.turn2.jsonl", encoding: .utf8)
        #expect(transcript.contains("User (turn 1): add 2 3 prints -1"))
        #expect(transcript.contains("Winner fixer: Fixed add() in calc.sh."))

        // Undo list, a refused undo (the user edited a file the merge wrote), then two undos.
        let list = try fixture.mg("undo", "--list").stdout
        #expect(list.components(separatedBy: "merge-back (squash)").count == 3)
        #expect(list.contains("← next: `mg undo` reverts this"))
        try fixture.repository.write("calc.sh", "edited by hand\n")
        let changed = try fixture.mg("undo", "--list").stdout
        #expect(changed.contains("← next: changed since (") && changed.contains("calc.sh") && changed.contains("would refuse"))
        let refused = try fixture.mg("undo")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("calc.sh"))
        #expect(try String(contentsOfFile: fixture.path + "/calc.sh", encoding: .utf8) == "edited by hand\n")
        _ = try fixture.repository.git("checkout", "calc.sh")
        #expect(try fixture.mg("undo").status == 0)
        #expect(try fixture.repository.userStateSnapshot() == fixed)
        #expect(try fixture.mg("undo").status == 0)
        #expect(try fixture.repository.userStateSnapshot() == before)
        #expect(try fixture.mg("undo").stdout.contains("Nothing to undo."))
        _ = try fixture.repository.git("fsck", "--strict", "--no-progress")
    }

    @Test func migrateImportsMassGenHistoryOnce() throws {
        let fixture = try SessionFixture()
        let turn = fixture.path + "/.massgen/sessions/session_20250101_120000/turn_1"
        try FileManager.default.createDirectory(atPath: turn, withIntermediateDirectories: true)
        try #"{"turn": 1, "timestamp": "2025-01-01T12:00:00", "winning_agent": "agent_b", "task": "old task"}"#
            .write(toFile: turn + "/metadata.json", atomically: true, encoding: .utf8)
        try "the old answer\n".write(toFile: turn + "/answer.txt", atomically: true, encoding: .utf8)
        let first = try fixture.mg("migrate")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Imported 1 session(s) and 1 turn(s)"))
        #expect(try fixture.mg("migrate").stdout.contains("Imported 0 session(s) and 0 turn(s)"))
        let sessions = try fixture.mg("sessions").stdout
        #expect(sessions.contains("massgen-session_20250101_120000"))
        #expect(sessions.contains("imported"))
        let log = try fixture.mg("log", "massgen-session_20250101_120000").stdout
        #expect(log.contains("old task"))
        #expect(log.contains("agent_b"))
        // The originals are untouched.
        #expect(try String(contentsOfFile: turn + "/answer.txt", encoding: .utf8) == "the old answer\n")
    }

    @Test func chatRunsTurnsAndCommandsOnATerminalAndRefusesWithout() throws {
        let fixture = try SessionFixture()
        let refused = try fixture.mg("chat")
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("needs a terminal"))

        let config = try fixture.config("chat", edit: "$1 - $2", "$1 + $2", summary: "Fixed add().")
        // `script` gives mg a pseudo-terminal and feeds it our lines.
        let input = "add 2 3 prints -1\n/status\n/branches\n/diff fixer\n/nonsense\n/undo\n/quit\n"
        let command = "'\(DemoEndToEndTests.mgPath)' chat -q --config '\(config)'"
        let run = try ProcessRunner.run(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], in: fixture.path,
            environment: GitCLI.environment(CLIEndToEndTests.noKeys), input: Data(input.utf8))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("success, winner fixer"))
        #expect(run.stdout.contains("turn 1 finished: add 2 3 prints -1 → fixer [merge:squash]"))
        #expect(run.stdout.contains("+add() { echo $(($1 + $2)); }"))
        #expect(run.stdout.contains("Unknown command /nonsense"))
        #expect(run.stdout.contains("Undone: merge-back (squash)"))
        #expect(try String(contentsOfFile: fixture.path + "/calc.sh", encoding: .utf8) == SessionFixture.calc)
    }
}
