import Foundation

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
        let errData = DataBox()
        let reader = Thread { errData.value = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.done { usleep(1000) }
        return GitCLI.Output(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false

    var value: Data {
        get { lock.withLock { data } }
        set { lock.withLock { data = newValue; finished = true } }
    }

    var done: Bool { lock.withLock { finished } }
}
