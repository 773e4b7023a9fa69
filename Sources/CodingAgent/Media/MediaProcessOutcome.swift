import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// How one ffprobe/ffmpeg run ended: it exited (with its output), or its deadline stopped it.
///
/// swift-subprocess starts the child with `posix_spawn` and streams both pipes. The deadline is
/// `ProcessWatchdog`'s (a Dispatch timer, so it fires even when every cooperative thread is busy):
/// SIGTERM, then SIGKILL a second later; cancelling the caller does the same at once.
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
        let execution = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), platformOptions: options,
            input: .none, output: .sequence, error: .sequence
        ) { execution in
            await ProcessWatchdog.watching(
                pid: execution.processIdentifier.value, target: .process, escalation: .terminate(grace: .seconds(1)),
                timeout: timeout
            ) { _ in
                async let errorTail = collect(execution.standardError, keepingLast: errorTailLimit)
                let output = await collect(execution.standardOutput, keepingFirst: outputLimit)
                return (output, await errorTail)
            }
        }
        let ((output, errors), trigger) = execution.closureResult
        if trigger != nil { return .timedOut }
        let status: Int32 =
            switch execution.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
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
