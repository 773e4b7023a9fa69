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
        failedTests: [String], outputTail: String, failureReason: String?, durationMilliseconds: Int
    ) {
        self.command = command
        self.ran = ran
        self.passed = passed
        self.exitCode = exitCode
        self.timedOut = timedOut
        self.passedCount = passedCount
        self.failedCount = failedCount
        self.failedTests = failedTests
        self.outputTail = outputTail
        self.failureReason = failureReason
        self.durationMilliseconds = durationMilliseconds
    }

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
