import CodingAgent
import Foundation
import GitWorkspace

/// Runs the test command in a folder and turns the result into `TestEvidence`.
///
/// Commands go through the same `CommandRunner` as the agents' `run_command` (scrubbed
/// environment, own process group, bubblewrap when available), with their own timeout. At most
/// one test run per core runs at a time, so N agents answering together do not thrash the
/// machine; the runner is shared by the whole session.
///
/// The folder's own path never reaches the evidence: output and test names are rewritten to
/// repository-relative form, so a traceback shown to another agent (or stored for a later turn)
/// says `test_calc.py`, not `/repo/.massgen/workspaces/<session>/<agent>/test_calc.py`.
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

    /// Runs the test command in `folder`; `nil` when no command is configured.
    public func run(in folder: String) async -> TestEvidence? {
        guard let command else { return nil }
        return await run(command, in: folder)
    }

    /// Runs `command` (a test or gate command) in `folder`, one run per core at a time.
    public func run(_ command: String, in folder: String) async -> TestEvidence {
        let runner = self.runner
        let timeout = self.timeout
        let tailLines = self.tailLines
        return await limiter.withSlot {
            let start = ContinuousClock.now
            do {
                let result = try await runner.run(command, in: folder, timeout: timeout)
                return Self.evidence(
                    command: command, result: result, elapsed: ContinuousClock.now - start,
                    tailLines: tailLines, folder: folder)
            } catch {
                return TestEvidence(
                    command: command, ran: false, passed: false, exitCode: nil, timedOut: false,
                    passedCount: nil, failedCount: nil, failedTests: [], outputTail: "",
                    failureReason: "could not start: \(error)",
                    durationMilliseconds: (ContinuousClock.now - start).inMilliseconds)
            }
        }
    }

    /// Runs `command` (the test command when `nil`) on the files of `tree`, in a scratch
    /// checkout named `name` that is removed afterwards; `nil` when there is no command.
    public func run(
        _ command: String? = nil, onTree tree: ObjectID, repositoryRoot: String, session: String, name: String
    ) async -> TestEvidence? {
        guard let command = command ?? self.command else { return nil }
        let checkout: ScratchCheckout
        do {
            checkout = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try ScratchCheckout.create(repositoryRoot: repositoryRoot, session: session, name: name, tree: tree)
            }
        } catch {
            return TestEvidence(
                command: command, ran: false, passed: false, exitCode: nil, timedOut: false, passedCount: nil,
                failedCount: nil, failedTests: [], outputTail: "",
                failureReason: "could not check out the files to test: \(error)", durationMilliseconds: 0)
        }
        defer { checkout.remove() }
        return await run(command, in: checkout.path)
    }

    /// Builds evidence from a finished command that ran in `folder` (stripped from the output).
    public static func evidence(
        command: String, result: CommandResult, elapsed: Duration, tailLines: Int = 40, folder: String? = nil
    ) -> TestEvidence {
        let output = folder.map { RunFolderPaths(folder: $0).strip(result.output) } ?? result.output
        let summary = TestOutputParser.parse(output)
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
            passedTests: summary.passedTests, outputTail: tail(output, lines: tailLines), failureReason: reason,
            durationMilliseconds: elapsed.inMilliseconds)
    }

    /// The last `lines` lines of `text`.
    static func tail(_ text: String, lines: Int) -> String {
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = all.last?.isEmpty == true ? all.dropLast() : all[...]
        return trimmed.suffix(lines).joined(separator: "\n")
    }
}
