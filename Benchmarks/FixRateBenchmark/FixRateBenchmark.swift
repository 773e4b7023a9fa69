// `mg-bench fixrate`: how many small buggy repositories real models fix through `mg fix`, with
// one agent and with several, judged by hidden tests the agents never see. A benchmark, not a
// test: it needs a model server (`MG_BENCH_BASE_URL`) and takes minutes to hours.
import CodingAgent
import Foundation

enum FixRateBenchmark {
    static let description =
        "fix rate of real models through `mg fix`, 1 agent vs N, on Benchmarks/fixrate/cases (needs MG_BENCH_BASE_URL)"

    static let usage = """
        usage: mg-bench fixrate [--cases a,b,…] [--agents 1,3] [--repeat N] [--timeout SECONDS]
                                [--tool-mode native|text|auto] [--edit-format none|whole|diff]
                                [--out FILE.json] [--label NAME] [--keep DIR] [--verify]
          MG_BENCH_BASE_URL  OpenAI-compatible endpoint, e.g. http://127.0.0.1:8089/v1 (local-llm start)
          MG_BENCH_MODEL     model name sent (default: local)
          MG_BENCH_MG        the mg binary (default: .build/release/mg; build it with swift build -c release --product mg)
        --timeout is one agent's session limit (default 240); N agents get timeout × (N + 1) / 2.
        --keep DIR copies every session's repository (with .massgen/: transcripts, events) to DIR/<case>-<agents>a-<n>.
        --verify checks the corpus without a model: hidden tests fail on the bug and pass with the reference fix.
        """

    struct Options {
        var cases: [String] = []
        var agents: [Int] = [1, 3]
        var repeats = 1
        var timeout = 240
        var toolMode = ToolMode.text
        var editFormat = EditFormat.whole
        var out: String?
        var label = "run"
        var verify = false
        var keep: String?
    }

    @Sendable static func run(_ arguments: [String]) async throws {
        let options = try parse(arguments)
        let cases = try FixRateCase.load(names: options.cases)
        if options.verify {
            for fixCase in cases { say(try fixCase.verify()) }
            return
        }
        let environment = ProcessInfo.processInfo.environment
        guard let baseURL = environment["MG_BENCH_BASE_URL"], !baseURL.isEmpty else {
            throw FixRateError.usage("Set MG_BENCH_BASE_URL to an OpenAI-compatible endpoint.\n" + usage)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let mg = environment["MG_BENCH_MG"] ?? packageRoot + "/.build/release/mg"
        guard FileManager.default.isExecutableFile(atPath: mg) else {
            throw FixRateError.usage("No mg binary at \(mg): run `swift build -c release --product mg` or set MG_BENCH_MG.")
        }
        let setup = FixRateSetup(
            baseURL: baseURL, model: environment["MG_BENCH_MODEL"] ?? "local", toolMode: options.toolMode,
            editFormat: options.editFormat, baseTimeoutSeconds: options.timeout, mg: mg, keep: options.keep)
        say(
            "\(cases.count) cases × agents \(options.agents.map(String.init).joined(separator: ",")) × \(options.repeats) "
                + "against \(baseURL) (tool_mode \(options.toolMode.rawValue), edit_format \(options.editFormat.rawValue))")
        var sessions: [FixRateSession] = []
        let started = ContinuousClock.now
        for repetition in 1...options.repeats {
            for fixCase in cases {
                for agents in options.agents {
                    let session = try FixRateSession.run(fixCase, agents: agents, repetition: repetition, setup: setup)
                    sessions.append(session)
                    say(FixRateReport.progressLine(session))
                }
            }
        }
        let report = FixRateReport(
            label: options.label, baseURL: baseURL, model: setup.model, toolMode: options.toolMode.rawValue,
            editFormat: options.editFormat.rawValue, timeoutSeconds: options.timeout, repeats: options.repeats,
            agentCounts: options.agents, sessions: sessions,
            totalWallSeconds: Double((ContinuousClock.now - started).components.seconds))
        say(report.table())
        let out = options.out ?? packageRoot + "/.build/fixrate-\(options.label).json"
        try report.json().write(to: URL(fileURLWithPath: out))
        say("JSON: \(out)")
    }

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw FixRateError.usage("\(flag) needs a value.\n" + usage) }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--cases": options.cases = try value(argument).split(separator: ",").map(String.init)
            case "--agents":
                options.agents = try value(argument).split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
            case "--repeat": options.repeats = max(1, Int(try value(argument)) ?? 1)
            case "--timeout": options.timeout = max(30, Int(try value(argument)) ?? options.timeout)
            case "--tool-mode":
                guard let mode = ToolMode(rawValue: try value(argument)) else { throw FixRateError.usage(usage) }
                options.toolMode = mode
            case "--edit-format":
                guard let format = EditFormat(rawValue: try value(argument)) else { throw FixRateError.usage(usage) }
                options.editFormat = format
            case "--out": options.out = try value(argument)
            case "--label": options.label = try value(argument)
            case "--verify": options.verify = true
            case "--keep": options.keep = try value(argument)
            case "--help", "-h":
                say(usage)
                exit(0)
            default: throw FixRateError.usage("Unknown argument \(argument).\n" + usage)
            }
        }
        if options.agents.isEmpty { throw FixRateError.usage("--agents needs at least one positive count.\n" + usage) }
        return options
    }
}

/// Prints a line at once (unbuffered), so progress shows when the output goes to a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
