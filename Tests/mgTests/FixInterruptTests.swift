import Foundation
import MGTestSupport
import Testing

/// Ctrl-C (SIGINT) and SIGTERM stop a session gracefully, and the live view under a real
/// pseudo-terminal (`script` from util-linux).
@Suite struct FixInterruptTests {
    /// Agents that edit at once, then wait 20 s before answering: the signal lands mid-turn.
    static func slowFixture() throws -> FixFixture {
        let slow = #"{"tool_calls": [{"name": "list_files"}], "delay_ms": 20000}"#
        return try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, slow, FixFixture.answer("Fix add().")]),
            ("guesser", [FixFixture.wrongFix, slow, FixFixture.answer("Multiply.")]),
        ])
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func signalStopsAgentsKeepsTheirWorkAndLeavesTheRepositoryAsItWas(signal number: Int32) throws {
        let fixture = try Self.slowFixture()
        try fixture.repository.write("notes.txt", "the user's uncommitted notes\n")
        let before = try fixture.repository.userStateSnapshot()
        let running = try fixture.start(["fix", "fix add", "--test", "sh test.sh"])
        // Both agents have edited their worktrees once their edit_file lines are out.
        #expect(running.waitFor("fixer: edit_file") && running.waitFor("guesser: edit_file"))
        let sent = Date()
        kill(running.process.processIdentifier, number)
        let status = running.wait(seconds: 30)
        #expect(status == 130, "stdout: \(running.stdout)\nstderr: \(running.stderr)")
        #expect(Date().timeIntervalSince(sent) < 15, "the 20 s model call was not abandoned")
        #expect(running.stdout.contains("stopping the agents"))
        #expect(running.stdout.contains("Interrupted: the agents were stopped"))
        #expect(try fixture.repository.userStateSnapshot() == before)
        // Each agent's edit is committed on its branch.
        let branches = try fixture.agentBranches()
        #expect(branches.count == 2)
        for branch in branches {
            let calc = try fixture.repository.git("show", "\(branch):calc.sh")
            #expect(calc.contains(branch.hasSuffix("/fixer") ? "$1 + $2" : "$1 * $2"), "\(branch): \(calc)")
        }
        _ = try fixture.repository.fsck()
        let worktrees = try fixture.repository.git("worktree", "list", "--porcelain")
        #expect(worktrees.components(separatedBy: "worktree ").count - 1 == 1)
    }

    @Test func liveViewOnATerminalUpdatesInPlaceAndRestoresTheCursor() throws {
        let fixture = try FixFixture.twoAgents()
        let command = "stty cols 100 2>/dev/null; '\(DemoEndToEndTests.mgPath)' fix 'fix add' --test 'sh test.sh'"
        let run = try ProcessRunner.run(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], in: fixture.path,
            environment: FixFixture.environment.merging(["TERM": "xterm-256color"]) { $1 })
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let output = run.stdout
        #expect(output.contains("\u{1B}[?2026h") && output.contains("\u{1B}[?2026l"))
        #expect(output.contains("\u{1B}[?25l"))
        // The cursor comes back before the report, and the report follows the panel.
        let shown = try #require(output.range(of: "\u{1B}[?25h", options: .backwards))
        let winner = try #require(output.range(of: "Winner: fixer (agent1)"))
        #expect(shown.lowerBound < winner.lowerBound)
        #expect(output.contains("\u{1B}[2K"))  // lines were redrawn in place
        #expect(output.contains("votes agent1 2"))

        let second = try FixFixture.twoAgents()
        let plain = try ProcessRunner.run(
            "/usr/bin/script", ["-qfec", command + " --no-color", "/dev/null"],
            in: second.path, environment: FixFixture.environment.merging(["TERM": "xterm-256color"]) { $1 })
        // --no-color: still an in-place panel, but no colour codes.
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("\u{1B}[?2026h"))
        #expect(plain.stdout.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) == nil)
    }

    @Test func ciMeansPlainLinesEvenOnATerminal() throws {
        let fixture = try FixFixture.twoAgents()
        let command = "'\(DemoEndToEndTests.mgPath)' fix 'fix add' --test 'sh test.sh'"
        let run = try ProcessRunner.run(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], in: fixture.path,
            environment: FixFixture.environment.merging(["TERM": "xterm-256color", "CI": "true", "NO_COLOR": "1"]) { $1 })
        #expect(run.status == 0, "\(run.stdout)")
        #expect(!run.stdout.contains("\u{1B}"))
        #expect(run.stdout.contains("fixer votes for agent1"))
    }
}
