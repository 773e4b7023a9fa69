import Foundation

/// Runs ffprobe and ffmpeg as child processes with a deadline.
///
/// A damaged file can make ffmpeg spin or wait forever; every run is stopped (SIGTERM, then
/// SIGKILL a second later) when its deadline passes or the calling task is cancelled, so
/// attaching media never hangs. Processes run through swift-subprocess, like `CommandRunner`.
public struct MediaProcessRunner: Sendable {
    /// What a finished run produced.
    public struct Output: Sendable {
        /// Everything written to standard output.
        public var standardOutput: Data
        /// The end of standard error (the last 4 KB: ffmpeg's final lines say what failed).
        public var standardErrorTail: String
        /// The exit status.
        public var status: Int32
    }

    /// Directories searched for the programs, in order (`PATH` by default).
    public var searchPath: [String]

    /// Creates a runner searching `PATH` of `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        searchPath = path.split(separator: ":").map(String.init) + ["/opt/homebrew/bin", "/usr/local/bin"]
    }

    /// The absolute path of `tool`, or `MediaError.toolMissing` naming the ffmpeg package.
    public func locate(_ tool: String) throws(MediaError) -> String {
        for directory in searchPath where !directory.isEmpty {
            let candidate = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .toolMissing(tool: tool, package: "ffmpeg")
    }

    /// Runs `tool` with `arguments`; throws `timedOut` (naming `subject`) when `timeout` passes
    /// or the calling task is cancelled. Standard output is kept whole (up to 64 MB: ffprobe's
    /// JSON), standard error only its last 4 KB; both are drained as they arrive, so a chatty
    /// process never blocks on a full pipe.
    public func run(
        _ tool: String, _ arguments: [String], timeout: Duration, subject: String
    ) async throws(MediaError) -> Output {
        let executable = try locate(tool)
        let outcome: MediaProcessOutcome
        do {
            outcome = try await MediaProcessOutcome.run(executable, arguments, timeout: timeout)
        } catch {
            throw .conversionFailed(path: subject, step: "start \(tool)", detail: "\(error)")
        }
        switch outcome {
        case .exited(let output): return output
        case .timedOut: throw .timedOut(tool: tool, path: subject, seconds: timeout.inSeconds)
        }
    }
}
