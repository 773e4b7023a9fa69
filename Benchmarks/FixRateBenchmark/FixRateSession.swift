import CodingAgent
import Foundation
import MGTestSupport

/// How the agents of a fix-rate run are configured.
struct FixRateSetup: Sendable {
    /// The OpenAI-compatible endpoint (`MG_BENCH_BASE_URL`).
    var baseURL: String
    /// The model name sent (`MG_BENCH_MODEL`; llama.cpp serves whatever it loaded).
    var model: String
    var toolMode: ToolMode
    var editFormat: EditFormat
    /// The session limit for one agent; more agents share the machine, so N agents get
    /// `timeout × (1 + (N − 1) / 2)`.
    var baseTimeoutSeconds: Int
    /// The `mg` binary run for each session.
    var mg: String
    /// Where to keep each session's repository for inspection (`--keep`).
    var keep: String?

    func timeoutSeconds(agents: Int) -> Int { baseTimeoutSeconds * (agents + 1) / 2 }

    /// Sampling and prompt per agent: the single agent is the first; the others differ by
    /// temperature and by one extra instruction, so their attempts are not the same.
    static let variants: [(temperature: Double, message: String?)] = [
        (0.2, nil),
        (0.7, "Before you change anything, work out from the tests and the task which values the code must return."),
        (1.0, "Prefer the smallest change that fixes the bug; often a single line."),
    ]

    /// The `mg` configuration for `agents` agents on `task`'s test command.
    func configuration(agents: Int, testCommand: String) -> String {
        var yaml = "agents:\n"
        for index in 0..<agents {
            let variant = Self.variants[index % Self.variants.count]
            yaml += "  - id: a\(index + 1)\n"
            if let message = variant.message { yaml += "    system_message: \(Self.quoted(message))\n" }
            yaml += "    backend:\n"
            yaml += "      type: chatcompletion\n"
            yaml += "      model: \(Self.quoted(model))\n"
            yaml += "      base_url: \(Self.quoted(baseURL))\n"
            yaml += "      temperature: \(variant.temperature)\n"
            yaml += "      tool_mode: \(toolMode.rawValue)\n"
            yaml += "      edit_format: \(editFormat.rawValue)\n"
        }
        yaml += "orchestrator:\n"
        yaml += "  test_command: \(Self.quoted(testCommand))\n"
        yaml += "  timeout_seconds: \(timeoutSeconds(agents: agents))\n"
        yaml += "  max_new_answers_per_agent: 1\n"
        yaml += "  voting_sensitivity: lenient\n"
        return yaml
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// One `mg fix` session of the benchmark and its verdict.
struct FixRateSession: Codable, Sendable {
    var caseName: String
    var agents: Int
    var repetition: Int
    /// The hidden tests pass on the user's branch after the session.
    var fixed: Bool
    var exitCode: Int32
    var outcome: String
    var winner: String?
    var wallSeconds: Double
    var timeoutSeconds: Int
    /// Ended by itself within its limit (plus a minute for tally, merge and cleanup) with an
    /// exit code mg documents for a finished session (0, 1, 2).
    var endedInLimits: Bool
    var figures: TranscriptFigures
    /// Why agents left without finishing, from the `agent_state` events.
    var agentFailures: [String]
    /// The machine's 1-minute load average when the session ended (`/proc/loadavg`): other work
    /// on the machine slows the model server, and with it every figure here.
    var loadAverage: Double?

    /// Runs `fixCase` once with `agents` agents.
    static func run(_ fixCase: FixRateCase, agents: Int, repetition: Int, setup: FixRateSetup) throws -> FixRateSession {
        let repository = try fixCase.makeRepository()
        let configPath = FileManager.default.temporaryDirectory.appendingPathComponent("mg-bench-\(UUID().uuidString).yaml").path
        try setup.configuration(agents: agents, testCommand: fixCase.testCommand).write(toFile: configPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: configPath) }
        let timeout = setup.timeoutSeconds(agents: agents)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["CI"] = "1"
        let result = try BenchProcess.run(
            setup.mg, ["fix", fixCase.task, "--config", configPath, "--json", "--merge", "squash"],
            in: repository.path, environment: environment, timeout: .seconds(timeout + 90))
        var session: String?
        var outcome = "none"
        var winner: String?
        var failures: [String] = []
        for line in result.stdout.split(separator: "\n") {
            guard let data = line.data(using: .utf8),
                let event = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            else { continue }
            switch event["event"] as? String {
            case "session_started": session = event["session"] as? String
            case "session_finished":
                outcome = event["outcome"] as? String ?? outcome
                winner = event["winner"] as? String
            case "agent_state" where event["phase"] as? String == "failed":
                failures.append("\(event["agent"] as? String ?? "?"): \(event["reason"] as? String ?? "")")
            default: break
            }
        }
        try fixCase.copy("hidden", into: repository.path)
        let fixed = FixRateCase.passes(fixCase.hiddenCommand, in: repository.path)
        let figures = session.map { TranscriptFigures.read(sessionFolder: repository.path + "/.massgen/sessions/" + $0) } ?? TranscriptFigures()
        let wall = Double(result.wall.components.seconds) + Double(result.wall.components.attoseconds) / 1e18
        if let keep = setup.keep {
            let target = "\(keep)/\(fixCase.name)-\(agents)a-\(repetition)"
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.copyItem(atPath: repository.path, toPath: target)
        }
        let finishedStatus: Set<Int32> = [0, 1, 2]
        return FixRateSession(
            caseName: fixCase.name, agents: agents, repetition: repetition, fixed: fixed, exitCode: result.status,
            outcome: result.timedOut ? "killed at the time limit" : outcome, winner: winner, wallSeconds: wall,
            timeoutSeconds: timeout,
            endedInLimits: !result.timedOut && finishedStatus.contains(result.status) && wall <= Double(timeout + 60),
            figures: figures, agentFailures: failures,
            loadAverage: (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
                .split(separator: " ").first.flatMap { Double($0) })
    }
}
