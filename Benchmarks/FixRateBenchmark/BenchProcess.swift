import Foundation

/// Runs a program with a time limit, its output going to files (a chatty `mg --json` never
/// blocks on a full pipe). Past the limit it gets SIGTERM (mg then stops its agents and
/// exits 130), and SIGKILL 30 seconds later.
enum BenchProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
        var wall: Duration
    }

    static func run(
        _ executable: String, _ arguments: [String], in directory: String, environment: [String: String]? = nil,
        timeout: Duration
    ) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mg-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now - start > timeout, !timedOut {
                timedOut = true
                process.terminate()
                let killAt = ContinuousClock.now + .seconds(30)
                while process.isRunning, ContinuousClock.now < killAt { usleep(100_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            usleep(100_000)
        }
        process.waitUntilExit()
        let wall = ContinuousClock.now - start
        try out.close()
        try err.close()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "", timedOut: timedOut, wall: wall)
    }
}
