import Foundation
import Synchronization

/// Runs a program to completion, capturing stdout and stderr (tests and benchmarks only).
public enum ProcessRunner {
    /// Runs `executable args` in `directory` with exactly `environment`; `input` is fed to stdin.
    public static func run(
        _ executable: String, _ args: [String], in directory: String,
        environment: [String: String], input: Data? = nil
    ) throws -> GitCLI.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty process cannot block on a full pipe.
        let errors = PipeDrain(err.fileHandleForReading)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return GitCLI.Output(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errors.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on its own thread; `wait()` blocks (no polling) until it has.
private final class PipeDrain: Sendable {
    private let data = Mutex(Data())
    private let finished = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            let bytes = handle.readDataToEndOfFile()
            data.withLock { $0 = bytes }
            finished.signal()
        }
        thread.start()
    }

    /// Everything the pipe carried, once its writer closed it.
    func wait() -> Data {
        finished.wait()
        return data.withLock { $0 }
    }
}
