/// What running the test command on one answer showed.
public struct TestEvidence: Sendable, Hashable, Codable {
    /// The command that ran.
    public var command: String
    /// False when the command could not be started (then `failureReason` says why).
    public var ran: Bool
    /// Exit code 0 and no timeout.
    public var passed: Bool
    /// The exit code, when the command exited.
    public var exitCode: Int32?
    /// True when the timeout killed it.
    public var timedOut: Bool
    /// Passing tests, when the runner's output says.
    public var passedCount: Int?
    /// Failing tests, when the runner's output says.
    public var failedCount: Int?
    /// Names of failing tests found in the output.
    public var failedTests: [String]
    /// Names of passing tests the output shows (verbose runners; empty when it names none).
    public var passedTests: [String] = []
    /// The last lines of the output.
    public var outputTail: String
    /// Why the command did not run or did not finish.
    public var failureReason: String?
    /// Wall time in milliseconds.
    public var durationMilliseconds: Int

    /// Creates evidence.
    public init(
        command: String, ran: Bool, passed: Bool, exitCode: Int32?, timedOut: Bool, passedCount: Int?,
        failedCount: Int?,
        failedTests: [String], passedTests: [String] = [], outputTail: String, failureReason: String?,
        durationMilliseconds: Int
    ) {
        self.command = command
        self.ran = ran
        self.passed = passed
        self.exitCode = exitCode
        self.timedOut = timedOut
        self.passedCount = passedCount
        self.failedCount = failedCount
        self.failedTests = failedTests
        self.passedTests = passedTests
        self.outputTail = outputTail
        self.failureReason = failureReason
        self.durationMilliseconds = durationMilliseconds
    }

    /// True when `failedTests` names every failing test, so two runs can be compared test by
    /// test: the run passed, or it named its failures and no more failed than it named. A run
    /// that timed out, crashed before naming anything, or counted more failures than it named
    /// cannot be compared.
    public var failuresAreNamed: Bool {
        guard ran, !timedOut else { return false }
        if passed { return true }
        guard !failedTests.isEmpty, signalKilled == false else { return false }
        if let failedCount { return failedCount <= failedTests.count }
        return true
    }

    /// The number of failing tests: the summary's count, else the named ones (at least 1 for a failed run).
    public var failingCount: Int {
        if passed { return 0 }
        return max(failedCount ?? 0, failedTests.count, 1)
    }

    private var signalKilled: Bool { failureReason?.hasPrefix("killed by signal") == true }

    /// One line for ballots and logs, e.g. `failed (3 passed, 1 failed: test_add)`.
    public var headline: String {
        guard ran else { return "not run (\(failureReason ?? "unknown reason"))" }
        if timedOut { return "timed out after \(durationMilliseconds / 1000) s" }
        var counts: [String] = []
        if let passedCount { counts.append("\(passedCount) passed") }
        if let failedCount { counts.append("\(failedCount) failed") }
        var text = passed ? "passed" : "failed (exit code \(exitCode.map(String.init) ?? "none"))"
        if !counts.isEmpty { text += ", " + counts.joined(separator: ", ") }
        if !failedTests.isEmpty {
            let shown = failedTests.prefix(10).joined(separator: ", ")
            text += "; failing: " + shown + (failedTests.count > 10 ? ", …" : "")
        }
        return text
    }
}
