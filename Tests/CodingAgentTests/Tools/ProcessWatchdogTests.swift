import Foundation
import Testing
@testable import CodingAgent

/// The one child-process timeout: the deadline fires on a Dispatch timer, SIGTERM escalates to
/// SIGKILL, and once disarmed it never signals again — the guard against hitting a reused pid.
/// (`RunCommandToolTests` and `MediaProcessRunnerTests` cover it through its two users: process
/// groups, cancellation, a helper ignoring SIGTERM.)
@Suite struct ProcessWatchdogTests {
    /// A real child process: `/bin/sh -c script`, not attached to any pipe of the test.
    private func start(_ script: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        try process.run()
        return process
    }

    private func waitForExit(_ process: Process, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func theDeadlineKillsTheChildAndSaysSo() async throws {
        let child = try start("exec sleep 30")
        let watchdog = ProcessWatchdog(pid: child.processIdentifier, target: .process, escalation: .kill)
        watchdog.arm(after: .milliseconds(100))
        try await waitForExit(child, within: .seconds(10))
        #expect(!child.isRunning)
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        #expect(watchdog.trigger == .deadline)
    }

    @Test func sigtermIgnoredIsFollowedBySigkillAfterTheGrace() async throws {
        // Ignored signals stay ignored across exec: `sleep` shrugs off SIGTERM.
        let child = try start("trap '' TERM; exec sleep 30")
        try await Task.sleep(for: .milliseconds(200))
        let watchdog = ProcessWatchdog(
            pid: child.processIdentifier, target: .process, escalation: .terminate(grace: .seconds(2)))
        watchdog.stop(.cancellation)
        try await Task.sleep(for: .milliseconds(300))
        #expect(child.isRunning, "SIGTERM alone must not stop it")
        try await waitForExit(child, within: .seconds(10))
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        #expect(watchdog.trigger == .cancellation)
    }

    @Test func onceDisarmedItNeverSignalsWhateverNowHoldsThePid() async throws {
        // `bystander` stands for a process that inherited the pid after the watched child was reaped.
        let bystander = try start("exec sleep 30")
        defer { bystander.terminate() }
        let watchdog = ProcessWatchdog(pid: bystander.processIdentifier, target: .process, escalation: .kill)
        watchdog.arm(after: .milliseconds(50))
        watchdog.disarm()
        watchdog.stop(.cancellation)
        try await Task.sleep(for: .milliseconds(300))
        #expect(bystander.isRunning)
        #expect(watchdog.trigger == nil)
    }

    @Test func watchingReportsNothingWhenTheBodyEndsFirst() async throws {
        let child = try start("exec sleep 30")
        defer { child.terminate() }
        let (value, trigger) = await ProcessWatchdog.watching(
            pid: child.processIdentifier, target: .process, escalation: .kill, timeout: .milliseconds(100)
        ) { _ in 42 }
        try await Task.sleep(for: .milliseconds(300))
        #expect(value == 42 && trigger == nil)
        #expect(child.isRunning, "the deadline passed after the body returned: no signal")
    }
}
