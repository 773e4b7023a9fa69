import Foundation
import MGTestSupport

/// A repository with a bug, a shell test and scripted agents in `.massgen/config.yaml`, and ways
/// to run the built `mg` in it: to completion, or in the background to signal it.
struct FixFixture {
    let repository: TemporaryRepository
    var path: String { repository.path }

    static let buggy = "add() { echo $(($1 - $2)); }\n"
    static let test = """
        #!/bin/sh
        . ./calc.sh
        if [ "$(add 2 3)" = "5" ]; then echo "ok 1 - add"; else echo "not ok 1 - add"; exit 1; fi

        """
    static let correctFix = #"{"tool_calls": [{"name": "edit_file", "arguments": {"path": "calc.sh", "old_string": "$1 - $2", "new_string": "$1 + $2"}}]}"#
    static let wrongFix = #"{"tool_calls": [{"name": "edit_file", "arguments": {"path": "calc.sh", "old_string": "$1 - $2", "new_string": "$1 * $2"}}]}"#

    /// A whole script (`{"turns": […]}`) of one edit turn, an answer and a vote for agent1.
    static func script(_ edit: String, answer text: String) -> String {
        "{\"turns\": [\n" + [edit, answer(text), voteForAgent1].joined(separator: ",\n") + "\n]}\n"
    }

    static func answer(_ text: String, delay: Int = 0) -> String {
        #"{"tool_calls": [{"name": "new_answer", "arguments": {"content": "\#(text)"}}], "delay_ms": \#(delay)}"#
    }

    /// A vote for agent1 played only once both answers are in the agent's context.
    static let voteForAgent1 = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "its tests pass"}}], "await_context": "Answers you can vote for: agent1, agent2.", "await_poll_ms": 30}"#

    /// The blind-ballot seed that keeps anonymous ids in configuration order (up to five agents).
    static let positionalBallotSeed: UInt64 = 10760

    /// A committed repository whose `calc.sh` subtracts, with agents `id: turns`.
    init(agents: [(String, [String])]) throws {
        repository = try TemporaryRepository()
        try repository.write("calc.sh", Self.buggy)
        try repository.write("test.sh", Self.test)
        _ = try repository.commitAll("initial")
        // Under this blind-ballot seed `agentN` is the N-th configured agent, so the scripts can
        // vote by position (BallotPlanTests checks the seed).
        var config = "orchestrator:\n  ballot_seed: \(Self.positionalBallotSeed)\nagents:\n"
        for (id, turns) in agents {
            try repository.write(".massgen/\(id).json", "{\"turns\": [\n" + turns.joined(separator: ",\n") + "\n]}\n")
            config += "  - id: \(id)\n    backend: {type: scripted, script: \(id).json, model: scripted}\n"
        }
        try repository.write(".massgen/config.yaml", config)
    }

    /// The usual two agents: `fixer` (right, agent1) and `guesser` (wrong, agent2), both voting agent1.
    static func twoAgents(answerDelay: Int = 0) throws -> FixFixture {
        try FixFixture(agents: [
            ("fixer", [correctFix, answer("Fix add(): use +.", delay: answerDelay), voteForAgent1]),
            ("guesser", [wrongFix, answer("Make add() multiply.", delay: answerDelay), voteForAgent1]),
        ])
    }

    static var environment: [String: String] {
        GitCLI.environment(["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": "", "CI": ""])
    }

    /// Runs `mg args` to completion.
    func mg(_ args: [String], env: [String: String] = [:]) throws -> GitCLI.Output {
        try ProcessRunner.run(
            DemoEndToEndTests.mgPath, args, in: path, environment: Self.environment.merging(env) { $1 })
    }

    /// Starts `mg args` in the background, its output going to files.
    func start(_ args: [String]) throws -> Background {
        try Background(args: args, directory: path, environment: Self.environment)
    }

    /// The agent branches mg created.
    func agentBranches() throws -> [String] {
        try repository.git("for-each-ref", "--format=%(refname:short)", "refs/heads/massgen/")
            .split(separator: "\n").map(String.init)
    }

    /// A running `mg` whose stdout and stderr go to files (no pipe to fill up).
    final class Background {
        let process = Process()
        let outPath: String
        let errPath: String

        init(args: [String], directory: String, environment: [String: String]) throws {
            let stem = NSTemporaryDirectory() + "mg-bg-\(UUID().uuidString.prefix(8))"
            outPath = stem + ".out"
            errPath = stem + ".err"
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            _ = FileManager.default.createFile(atPath: errPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: DemoEndToEndTests.mgPath)
            process.arguments = args
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.environment = environment
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }

        var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

        /// Waits (up to `seconds`) until stdout contains `text`; false if it never did.
        func waitFor(_ text: String, seconds: Double = 30) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if stdout.contains(text) { return true }
                if !process.isRunning { return stdout.contains(text) }
                usleep(20_000)
            }
            return false
        }

        /// Waits for the exit (killing it after `seconds`, which fails the status check).
        func wait(seconds: Double = 60) -> Int32 {
            let end = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < end { usleep(20_000) }
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
                return -1
            }
            return process.terminationStatus
        }

        deinit {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
    }
}
