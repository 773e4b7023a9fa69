import Foundation

/// Runs ffprobe and ffmpeg as child processes with a deadline.
///
/// A damaged file can make ffmpeg spin or wait forever; every run is stopped (SIGTERM, then
/// SIGKILL) when its deadline passes or the calling task is cancelled, so attaching media never
/// hangs. Output goes to temporary files rather than pipes, so a chatty process cannot block on a
/// full pipe while mg waits for it to exit.
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

    /// Runs `tool` with `arguments`; throws `timedOut` (naming `subject`) when `timeout` passes.
    public func run(
        _ tool: String, _ arguments: [String], timeout: Duration, subject: String
    ) async throws(MediaError) -> Output {
        let executable = try locate(tool)
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("mg-media-run-\(UUID().uuidString)")
        let outURL = scratch.appendingPathExtension("out")
        let errURL = scratch.appendingPathExtension("err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
            FileManager.default.createFile(atPath: errURL.path, contents: nil),
            let outHandle = try? FileHandle(forWritingTo: outURL),
            let errHandle = try? FileHandle(forWritingTo: errURL)
        else {
            throw .conversionFailed(
                path: subject, step: "run \(tool)", detail: "cannot create temporary files")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        let box = ProcessBox(process)
        let status: Int32?
        do {
            status = try await box.runUntilExit(deadline: timeout)
        } catch {
            try? outHandle.close()
            try? errHandle.close()
            throw .conversionFailed(path: subject, step: "start \(tool)", detail: "\(error)")
        }
        try? outHandle.close()
        try? errHandle.close()
        guard let status else {
            throw .timedOut(tool: tool, path: subject, seconds: Self.seconds(timeout))
        }
        let output = (try? Data(contentsOf: outURL)) ?? Data()
        let errors = (try? Data(contentsOf: errURL)) ?? Data()
        return Output(
            standardOutput: output, standardErrorTail: String(decoding: errors.suffix(4096), as: UTF8.self),
            status: status)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Owns one child process so the deadline task and the waiting task can both reach it.
private final class ProcessBox: @unchecked Sendable {
    // Guarded by `lock`: `Process` is not Sendable, and termination may race the deadline.
    private let lock = NSLock()
    private let process: Process
    private var timedOut = false

    init(_ process: Process) {
        self.process = process
    }

    /// Runs the process; returns its exit status, or `nil` when the deadline stopped it.
    func runUntilExit(deadline: Duration) async throws -> Int32? {
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { process in
            exited.continuation.yield(process.terminationStatus)
            exited.continuation.finish()
        }
        // ETXTBSY: another thread forking at the same moment can briefly hold a write handle on a
        // just-written executable; the exec succeeds a moment later.
        for attempt in 0... {
            do {
                try lock.withLock { try process.run() }
                break
            } catch let error as NSError where attempt < 10 && Self.isTextFileBusy(error) {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        // A Dispatch timer rather than a sleeping task: the deadline must fire even when every
        // cooperative thread is busy (2-core machines, several agents hashing and converting).
        let watchdog = DispatchWorkItem { [self] in stop(timedOut: true) }
        DispatchQueue.global().asyncAfter(
            deadline: .now() + MediaProcessRunner.seconds(deadline), execute: watchdog)
        let status = await withTaskCancellationHandler {
            var iterator = exited.stream.makeAsyncIterator()
            return await iterator.next()
        } onCancel: {
            stop(timedOut: true)
        }
        watchdog.cancel()
        return lock.withLock { timedOut } ? nil : status
    }

    private static func isTextFileBusy(_ error: NSError) -> Bool {
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        return (error.domain == NSPOSIXErrorDomain && error.code == Int(ETXTBSY))
            || (underlying?.domain == NSPOSIXErrorDomain && underlying?.code == Int(ETXTBSY))
    }

    /// SIGTERM now, SIGKILL a second later if the process is still there.
    private func stop(timedOut: Bool) {
        let pid: Int32? = lock.withLock {
            guard process.isRunning else { return nil }
            self.timedOut = timedOut
            process.terminate()
            return process.processIdentifier
        }
        guard let pid else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { [self] in
            if lock.withLock({ process.isRunning }) { kill(pid, SIGKILL) }
        }
    }
}
