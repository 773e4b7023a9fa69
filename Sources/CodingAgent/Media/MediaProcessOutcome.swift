import Foundation
import Synchronization
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// How one ffprobe/ffmpeg run ended: it exited (with its output), or its deadline stopped it.
///
/// swift-subprocess starts the child with `posix_spawn` and streams both pipes. The deadline is a
/// Dispatch timer (`MediaProcessWatchdog`), not a sleeping task: it must fire even when every
/// cooperative thread is busy (2-core machines, several agents hashing and converting media).
/// It sends SIGTERM, then SIGKILL a second later; cancelling the caller does the same at once.
enum MediaProcessOutcome: Sendable {
    case exited(MediaProcessRunner.Output)
    case timedOut

    /// Bytes of standard output kept (ffprobe's JSON is far smaller).
    static let outputLimit = 64 << 20
    /// Bytes of standard error kept, from the end (ffmpeg's final lines say what failed).
    static let errorTailLimit = 4096

    /// ETXTBSY: another thread forking at the same moment can briefly hold a write handle on a
    /// just-written executable (e.g. a helper script); the spawn succeeds a moment later.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration) async throws -> MediaProcessOutcome {
        for attempt in 0... {
            do {
                return try await spawn(executable, arguments, timeout: timeout)
            } catch let error as SubprocessError where attempt < 10 && error.underlyingError == Errno(rawValue: ETXTBSY) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return .timedOut
    }

    private static func spawn(_ executable: String, _ arguments: [String], timeout: Duration) async throws
        -> MediaProcessOutcome
    {
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(1))]
        let watchdog = MediaProcessWatchdog()
        let execution = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), platformOptions: options,
            input: .none, output: .sequence, error: .sequence
        ) { execution -> (Data, Data) in
            watchdog.arm(pid: execution.processIdentifier.value, after: timeout)
            defer { watchdog.disarm() }
            return await withTaskCancellationHandler {
                async let errorTail = collect(execution.standardError, keepingLast: errorTailLimit)
                let output = await collect(execution.standardOutput, keepingFirst: outputLimit)
                return (output, await errorTail)
            } onCancel: {
                watchdog.stop()
            }
        }
        if watchdog.fired { return .timedOut }
        let status: Int32 =
            switch execution.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        let (output, errors) = execution.closureResult
        return .exited(
            MediaProcessRunner.Output(
                standardOutput: output, standardErrorTail: String(decoding: errors, as: UTF8.self), status: status))
    }

    private static func collect(_ sequence: SubprocessOutputSequence, keepingFirst limit: Int) async -> Data {
        var data = Data()
        do {
            for try await buffer in sequence where data.count < limit {
                buffer.withUnsafeBytes { data.append(contentsOf: $0.prefix(limit - data.count)) }
            }
        } catch {}
        return data
    }

    private static func collect(_ sequence: SubprocessOutputSequence, keepingLast limit: Int) async -> Data {
        var data = Data()
        do {
            for try await buffer in sequence {
                buffer.withUnsafeBytes { data.append(contentsOf: $0) }
                if data.count > 2 * limit { data = Data(data.suffix(limit)) }
            }
        } catch {}
        return Data(data.suffix(limit))
    }
}

/// Stops one child process on a Dispatch timer: SIGTERM at the deadline (or at once on `stop`),
/// SIGKILL a second later if it is still there. `disarm` (the child's pipes closed, it is about to
/// be reaped) prevents any later signal, so a reused pid is never hit.
final class MediaProcessWatchdog: Sendable {
    private let state = Mutex((pid: pid_t(0), disarmed: false, fired: false))

    /// Whether the deadline (or a cancellation) stopped the child.
    var fired: Bool { state.withLock { $0.fired } }

    /// Watches `pid`; stops it after `timeout`.
    func arm(pid: pid_t, after timeout: Duration) {
        state.withLock { $0.pid = pid }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.inSeconds) { [self] in stop() }
    }

    /// SIGTERM now (once), SIGKILL a second later unless disarmed by then.
    func stop() {
        let pid = state.withLock { state -> pid_t? in
            guard state.pid > 0, !state.disarmed, !state.fired else { return nil }
            state.fired = true
            return state.pid
        }
        guard let pid else { return }
        kill(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            if !state.withLock({ $0.disarmed }) { kill(pid, SIGKILL) }
        }
    }

    /// No signal after this (the child is about to be reaped; its pid may be reused).
    func disarm() {
        state.withLock { $0.disarmed = true }
    }
}
