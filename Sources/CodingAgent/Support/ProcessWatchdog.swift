import Dispatch
import Foundation
import Synchronization

/// Stops a child process at its deadline, or at once when the task waiting for it is cancelled:
/// the one timeout mechanism for every child mg starts (`run_command`, ffprobe and ffmpeg, CLI
/// agents, adapters and stdio MCP servers through `LineProcess`).
///
/// * The deadline is a Dispatch timer, not a sleeping task, so it fires on time even when every
///   cooperative thread is busy (2-core machines, several agents testing and converting media).
/// * **pid reuse.** swift-subprocess reaps a child only after the body closure of
///   `Subprocess.run` has returned; until then its pid — and the process group it leads — cannot
///   be handed to another process, even if the child has already exited (a zombie keeps its pid).
///   `watching` disarms the watchdog before it returns, so call it inside that body; every signal
///   is sent while holding the lock `disarm` takes. No signal can therefore leave after the
///   disarm, and none can reach a process that merely inherited the pid.
/// * **Escalation.** `.kill` sends SIGKILL at once; `.terminate(grace:)` sends SIGTERM and, unless
///   the child is gone (disarmed) by then, SIGKILL after `grace`. A cancellation may escalate
///   differently from the deadline (a CLI agent gets a graceful stop when the round ends).
final class ProcessWatchdog: Sendable {
    /// Who receives the signals.
    enum Target: Sendable, Hashable {
        /// The child alone.
        case process
        /// The process group the child leads (it must have been started as a group leader).
        case processGroup
    }

    /// How the child is stopped.
    enum Escalation: Sendable, Hashable {
        /// SIGKILL at once.
        case kill
        /// SIGTERM, then SIGKILL after `grace` if the child is still being watched.
        case terminate(grace: Duration)
    }

    /// What made the watchdog stop the child.
    enum Trigger: Sendable, Hashable {
        /// The deadline passed.
        case deadline
        /// The task waiting for the child was cancelled.
        case cancellation
    }

    private struct State {
        var disarmed = false
        var trigger: Trigger?
    }

    private let pid: pid_t
    private let target: Target
    private let escalation: Escalation
    private let cancellationEscalation: Escalation
    private let state = Mutex(State())

    /// A watchdog for `pid`, not yet armed; `onCancellation` (default: `escalation`) is how a
    /// cancellation or `stop(.cancellation)` stops the child.
    init(pid: pid_t, target: Target, escalation: Escalation, onCancellation: Escalation? = nil) {
        self.pid = pid
        self.target = target
        self.escalation = escalation
        self.cancellationEscalation = onCancellation ?? escalation
    }

    /// Why the watchdog stopped the child; `nil` when it did not.
    var trigger: Trigger? { state.withLock { $0.trigger } }

    /// Stops the child when `timeout` has passed, unless disarmed by then.
    func arm(after timeout: Duration) {
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.inSeconds) { [weak self] in
            self?.stop(.deadline)
        }
    }

    /// Stops the child now (once), unless disarmed.
    func stop(_ trigger: Trigger) {
        let grace: Duration? = state.withLock { state in
            guard !state.disarmed, state.trigger == nil else { return nil }
            state.trigger = trigger
            switch trigger == .cancellation ? cancellationEscalation : escalation {
            case .kill:
                send(SIGKILL)
                return nil
            case .terminate(let grace):
                send(SIGTERM)
                return grace
            }
        }
        guard let grace else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace.inSeconds) { [self] in
            state.withLock { state in
                if !state.disarmed { send(SIGKILL) }
            }
        }
    }

    /// No signal after this: the child is about to be reaped and its pid may be reused.
    func disarm() {
        state.withLock { $0.disarmed = true }
    }

    /// Called with the lock held, so `disarm` cannot slip in between the check and the signal.
    private func send(_ signal: Int32) {
        _ = kill(target == .processGroup ? -pid : pid, signal)
    }

    /// Runs `body` (which reads the child's output until it ends) with a watchdog on `pid`: armed
    /// for `timeout` (none: no deadline), fired at once if the calling task is cancelled, disarmed
    /// before returning. `body` gets the watchdog, to stop the child itself. Call it inside the
    /// body closure of `Subprocess.run`, which reaps the child only afterwards.
    static func watching<Result: Sendable>(
        pid: pid_t, target: Target, escalation: Escalation, onCancellation: Escalation? = nil, timeout: Duration?,
        _ body: (ProcessWatchdog) async -> Result
    ) async -> (result: Result, trigger: Trigger?) {
        let watchdog = ProcessWatchdog(pid: pid, target: target, escalation: escalation, onCancellation: onCancellation)
        if let timeout { watchdog.arm(after: timeout) }
        let result = await withTaskCancellationHandler {
            await body(watchdog)
        } onCancel: {
            watchdog.stop(.cancellation)
        }
        watchdog.disarm()
        return (result, watchdog.trigger)
    }
}
