// `mg-bench voting`: a 4-agent session on the scripted backend, end to end (worktrees, commits,
// test evidence, diffs, votes, squash merge), first with zero model latency, then with 200 ms per
// model call. The second run shows whether agents are truly parallel: its wall time should stay
// within 10% of the critical path (the longest single agent's time inside model calls).
import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Synchronization
import Voting

enum VotingBenchmarks {
    static let description =
        "4-agent scripted session: wall time at 0 ms and 200 ms per model call vs the critical path"

    @Sendable static func run() async throws {
        let instant = try await session(delayMilliseconds: 0)
        print(
            "zero latency:   wall \(format(instant.wall))   (target ≤ 1 s: \(seconds(instant.wall) <= 1 ? "met" : "NOT met"))"
        )
        let slow = try await session(delayMilliseconds: 200)
        let ratio = seconds(slow.wall) / max(seconds(slow.criticalPath), 1e-9)
        print(
            "200 ms/call:    wall \(format(slow.wall))   critical path \(format(slow.criticalPath))   "
                + "ratio \(String(format: "%.3f", ratio))   (target ≤ 1.1: \(ratio <= 1.1 ? "met" : "NOT met"))"
        )
        let roundRatio = seconds(slow.round) / max(seconds(slow.criticalPath), 1e-9)
        print(
            "  of which: setup (lock, base, worktrees) \(format(slow.setup))   round \(format(slow.round)) "
                + "(round / critical path \(String(format: "%.3f", roundRatio)))   tally+merge+cleanup \(format(slow.finish))"
        )
        print("model calls per agent (200 ms run): \(slow.calls.map(String.init).joined(separator: ", "))")
        if ProcessInfo.processInfo.environment["MG_BENCH_TRACE"] != nil { print(slow.trace) }
    }

    struct Figures {
        var wall: Duration
        var setup: Duration
        var round: Duration
        var finish: Duration
        var criticalPath: Duration
        var calls: [Int]
        /// Model calls and events per agent in time order, relative to the session start
        /// (printed with `MG_BENCH_TRACE=1` to see where time outside model calls goes).
        var trace: String
    }

    /// One session: each agent writes its own file, answers, then votes for its own answer.
    static func session(delayMilliseconds: Int) async throws -> Figures {
        let repository = try TemporaryRepository()
        for index in 1...4 { try repository.write("file\(index).txt", "original \(index)\n") }
        try repository.write("test.sh", "#!/bin/sh\nexit 0\n")
        try repository.commitAll("base")
        let backends = (1...4).map { index in
            let turns =
                [
                    turn(
                        "write_file",
                        [
                            "path": .string("file\(index).txt"),
                            "content": .string("changed by agent \(index)\n"),
                        ], delayMilliseconds),
                    turn("new_answer", ["content": .string("Change file\(index).txt.")], delayMilliseconds),
                ]
                + Array(
                    repeating: turn(
                        "vote", ["agent_id": .string("agent\(index)"), "reason": .string("mine")],
                        delayMilliseconds), count: 10)
            return TimedBackend(ScriptedBackend(script: ScriptedScript(turns: turns)))
        }
        let agents = backends.enumerated().map {
            AgentSpec(id: "bench\($0.offset + 1)", backend: $0.element, model: "scripted")
        }
        var settings = OrchestratorSettings(
            testCommand: .command("sh test.sh"), sessionID: "bench-\(delayMilliseconds)")
        // Under this seed the blind ballots keep agentN = the N-th agent, which the scripts name.
        settings.ballotSeed = 10760
        let sink = CollectingEventSink()
        let started = Date()
        let clock = ContinuousClock.now
        let outcome = try await CodingOrchestrator().run(
            task: "benchmark", repositoryRoot: repository.path, agents: agents, settings: settings,
            events: sink)
        let wall = ContinuousClock.now - clock
        let events = await sink.events
        let firstAgent = events.first { $0.kind == .agentState }?.time ?? started
        let roundEnd = events.first { $0.kind == .roundFinished }?.time ?? started
        func since(_ from: Date, _ to: Date) -> Duration {
            .milliseconds(Int(to.timeIntervalSince(from) * 1000))
        }
        guard outcome.exitCode == 0 else {
            throw BenchmarkFailure(message: "the session ended with exit code \(outcome.exitCode)")
        }
        return Figures(
            wall: wall, setup: since(started, firstAgent), round: since(firstAgent, roundEnd),
            finish: wall - since(started, roundEnd), criticalPath: backends.map(\.modelTime).max() ?? .zero,
            calls: backends.map(\.calls),
            trace: trace(events: events, backends: backends, agents: agents.map(\.id), from: started))
    }

    static func trace(events: [SessionEvent], backends: [TimedBackend], agents: [String], from: Date) -> String {
        func ms(_ date: Date) -> String { String(format: "%6.1f", date.timeIntervalSince(from) * 1000) }
        var lines: [(Date, String)] = []
        for (index, backend) in backends.enumerated() {
            for call in backend.intervals {
                lines.append((call.start, "\(agents[index]) model call (\(Int(call.end.timeIntervalSince(call.start) * 1000)) ms) until \(ms(call.end))"))
            }
        }
        for event in events {
            var what = event.kind.rawValue
            if let phase = event.phase { what += " \(phase.rawValue)" }
            if let tool = event.tool { what += " \(tool)" }
            lines.append((event.time, "\(event.agent ?? "-") \(what)"))
        }
        return lines.sorted { $0.0 < $1.0 }.map { "\(ms($0.0)) ms  \($0.1)" }.joined(separator: "\n")
    }

    static func turn(_ name: String, _ arguments: [String: JSONValue], _ delay: Int) -> ScriptedTurn {
        ScriptedTurn(
            toolCalls: [ScriptedToolCall(name: name, arguments: .object(arguments))], delayMilliseconds: delay
        )
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    static func format(_ duration: Duration) -> String { String(format: "%.3f s", seconds(duration)) }
}

/// Measures how long each model call of one agent takes, from request to the end of its stream.
final class TimedBackend: ModelBackend, Sendable {
    private let inner: any ModelBackend
    private let totals = Mutex((time: Duration.zero, count: 0, spans: [(start: Date, end: Date)]()))

    init(_ inner: any ModelBackend) { self.inner = inner }

    var displayName: String { "timed(\(inner.displayName))" }
    var modelTime: Duration { totals.withLock { $0.time } }
    var calls: Int { totals.withLock { $0.count } }
    var intervals: [(start: Date, end: Date)] { totals.withLock { $0.spans } }

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        let upstream = inner.stream(request)
        let started = ContinuousClock.now
        let startDate = Date()
        let (stream, continuation) = AsyncThrowingStream<StreamChunk, any Error>.makeStream()
        let task = Task {
            do {
                for try await chunk in upstream { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
            let elapsed = ContinuousClock.now - started
            totals.withLock {
                $0.time += elapsed
                $0.count += 1
                $0.spans.append((startDate, Date()))
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
