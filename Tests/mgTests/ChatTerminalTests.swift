import Foundation
import MGTestSupport
import Testing

/// `mg chat` on a real pseudo-terminal (Python's `pty`, so Ctrl-C is the terminal's interrupt
/// character as a user types it): Ctrl-C in a turn stops it like `mg fix` and brings the prompt
/// back; Ctrl-C with text typed clears the line; Ctrl-D leaves.
@Suite struct ChatTerminalTests {
    private static var driver: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/chat_pty.py").path
    }

    @Test func ctrlCStopsATurnGracefullyAndClearsATypedLine() throws {
        // The agent takes a minute over its first model call: the turn is interrupted mid-way.
        let fixture = try FixFixture(agents: [
            ("slow", [#"{"text": "Thinking it over.", "delay_ms": 60000}"#, FixFixture.correctFix, FixFixture.answer("Fix.")])
        ])
        let steps: [[String: Any]] = [
            ["until": "mg> "],
            ["send": "fix add\r", "until": "started", "timeout": 60],
            ["send": "\u{3}", "until": "mg> ", "timeout": 60],
            // Text typed, then Ctrl-C: the line is dropped, a new prompt shows.
            ["send": "abc", "until": "abc"],
            ["send": "\u{3}", "until": "mg> "],
            ["send": "/status\r", "until": "mg> "],
            ["send": "\u{4}"],
        ]
        let stepsFile = fixture.path + "/../chat-steps-\(UUID().uuidString.prefix(6)).json"
        try JSONSerialization.data(withJSONObject: steps).write(to: URL(fileURLWithPath: stepsFile))
        defer { try? FileManager.default.removeItem(atPath: stepsFile) }
        var environment = FixFixture.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        let run = try ProcessRunner.run(
            "/usr/bin/env", ["python3", Self.driver, DemoEndToEndTests.mgPath, fixture.path, stepsFile],
            in: fixture.path, environment: environment)
        let screen = run.stdout
        #expect(run.status == 0, "\(screen)\n\(run.stderr)")
        #expect(screen.contains("Ctrl-C: stopping the agents"), "\(screen)")
        #expect(screen.contains("interrupted: the agents' work is on their branches; nothing was merged"), "\(screen)")
        // The typed "abc" was cleared, never run as a task; /status ran after it.
        #expect(!screen.contains("Unknown command") && screen.contains("session ") && screen.contains("(interrupted)"))
        let turns = screen.components(separatedBy: "turn 1 of").count - 1
        #expect(turns == 1, "only the interrupted turn ran: \(screen)")
        // Nothing left locked; the repository is sound and the user's files untouched.
        #expect(!(try fixture.repository.git("worktree", "list", "--porcelain")).contains("locked"))
        #expect(try fixture.repository.git("status", "--porcelain").isEmpty)
        _ = try fixture.repository.fsck()
    }
}
