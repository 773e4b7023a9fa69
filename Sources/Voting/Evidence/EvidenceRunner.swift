import CodingAgent
import Foundation

/// Runs the test command in an answer's worktree and turns the result into `TestEvidence`.
///
/// Commands go through the same `CommandRunner` as the agents' `run_command` (scrubbed
/// environment, own process group, bubblewrap when available), with their own timeout. At most
/// one test run per core runs at a time, so N agents answering together do not thrash the
/// machine; the runner is shared by the whole session.
public struct EvidenceRunner: Sendable {
    /// The command, e.g. `swift test` (`nil`: no evidence is gathered).
    public let command: String?
    /// Time allowed for one run.
    public let timeout: Duration
    /// Lines of output kept in `TestEvidence.outputTail`.
    public let tailLines: Int
    private let runner: CommandRunner
    private let limiter: AsyncLimiter

    /// Creates a runner; `concurrency` defaults to the number of active cores.
    public init(
        command: String?, runner: CommandRunner, timeout: Duration = .seconds(600), tailLines: Int = 40,
        concurrency: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.command = command
        self.runner = runner
        self.timeout = timeout
        self.tailLines = tailLines
        self.limiter = AsyncLimiter(limit: concurrency)
    }

    /// Gets the command runner ready (its sandbox probe) before the first answer arrives.
    public func prepare() async {
        if command != nil { await runner.prepare() }
    }

    /// Runs the command in `worktree`; `nil` when no command is configured.
    public func run(in worktree: String) async -> TestEvidence? {
        guard let command else { return nil }
        let runner = self.runner
        let timeout = self.timeout
        let tailLines = self.tailLines
        return await limiter.withSlot {
            let start = ContinuousClock.now
            do {
                let result = try await runner.run(command, in: worktree, timeout: timeout)
                return Self.evidence(
                    command: command, result: result, elapsed: ContinuousClock.now - start,
                    tailLines: tailLines)
            } catch {
                return TestEvidence(
                    command: command, ran: false, passed: false, exitCode: nil, timedOut: false,
                    passedCount: nil,
                    failedCount: nil, failedTests: [], outputTail: "",
                    failureReason: "could not start: \(error)",
                    durationMilliseconds: (ContinuousClock.now - start).inMilliseconds)
            }
        }
    }

    /// Builds evidence from a finished command.
    public static func evidence(
        command: String, result: CommandResult, elapsed: Duration, tailLines: Int = 40
    ) -> TestEvidence {
        let summary = TestOutputParser.parse(result.output)
        let passed = !result.timedOut && result.exitCode == 0
        var reason: String?
        if result.timedOut {
            reason = "timed out"
        } else if let signal = result.signal {
            reason = "killed by signal \(signal)"
        }
        return TestEvidence(
            command: command, ran: true, passed: passed, exitCode: result.exitCode, timedOut: result.timedOut,
            passedCount: summary.passed, failedCount: summary.failed, failedTests: summary.failedTests,
            outputTail: tail(result.output, lines: tailLines), failureReason: reason,
            durationMilliseconds: elapsed.inMilliseconds)
    }

    /// The last `lines` lines of `text`.
    static func tail(_ text: String, lines: Int) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = all.last?.isEmpty == true ? all.dropLast() : all[...]
        return trimmed.suffix(lines).joined(separator: "\n")
    }
}
