import Foundation
import Testing

@testable import CodingAgent

#if canImport(Glibc)
    import Glibc
#endif

/// A running `llmock serve` process on a free loopback port, started from the project-local venv
/// (`scripts/setup-llmock` installs it there when it is missing) and terminated by `stop()`.
final class LlmockServer: Sendable {
    /// The server the enclosing `.llmock` suite scope started.
    @TaskLocal static var current: LlmockServer?

    let process: Process
    let port: Int
    let logPath: String

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The package root, found from this file's path (Tests/CodingAgentTests/Interop/…).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `scripts/setup-llmock` (idempotent) and returns the `llmock` executable it prints.
    static func install() throws -> String {
        let script = packageRoot.appendingPathComponent("scripts/setup-llmock").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: script)
        process.currentDirectoryURL = packageRoot
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) else {
            throw LlmockError(
                "scripts/setup-llmock failed (exit \(process.terminationStatus)); run it by hand to see why")
        }
        return path
    }

    /// A TCP port that was free a moment ago (bound to port 0, read back, released).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LlmockError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                    && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw LlmockError("could not find a free port") }
        return Int(in_port_t(bigEndian: address.sin_port))
    }

    /// Starts llmock and waits until `/health` answers (at most 60 s).
    static func start(extraArguments: [String] = []) async throws -> LlmockServer {
        let executable = try install()
        let port = try freePort()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("llmock-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", String(port)] + extraArguments
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let server = LlmockServer(process: process, port: port, logPath: log.path)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                throw LlmockError("llmock exited during start-up: \(text.suffix(800))")
            }
            if let health = try? await server.get("/health"), health.contains("\"ok\"") { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw LlmockError("llmock did not answer /health on port \(port) within 60 s")
    }

    private init(process: Process, port: Int, logPath: String) {
        self.process = process
        self.port = port
        self.logPath = logPath
    }

    /// Terminates the process this suite started and waits for it.
    func stop() {
        if process.isRunning {
            process.terminate()
            // uvicorn's graceful shutdown waits for open streams (a stalled one never ends):
            // give it a moment, then kill it.
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// GET `path`, body as text.
    func get(_ path: String) async throws -> String {
        try await call(HTTPRequest(method: "GET", url: baseURL + path))
    }

    /// Queues llmock behaviours (its admin API), e.g. `{"type":"fail","status":429}`.
    func queue(_ behaviors: [String]) async throws {
        let body = #"{"behaviors":["# + behaviors.joined(separator: ",") + "]}"
        let reply = try await call(
            HTTPRequest(
                method: "POST", url: baseURL + "/_llmock/scenario",
                headers: [HTTPHeader("Content-Type", "application/json")],
                body: [.bytes(Data(body.utf8))]))
        guard reply.contains("queued") else { throw LlmockError("llmock refused the scenario: \(reply)") }
    }

    private func call(_ request: HTTPRequest) async throws -> String {
        let response = try await LibcurlTransport(environment: [:]).send(
            request,
            limits: TransferLimits(
                totalDeadline: .seconds(5), idleTimeout: .seconds(5), connectTimeout: .seconds(2)))
        var data = Data()
        for try await piece in response.body { data.append(piece) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Why the llmock peer could not be used.
struct LlmockError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Starts one llmock for the whole suite and kills it when the suite's tests are done.
struct LlmockScope: SuiteTrait, TestScoping {
    let arguments: [String]

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await LlmockServer.start(extraArguments: arguments)
        defer { server.stop() }
        try await LlmockServer.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == LlmockScope {
    /// Runs the suite against a fresh llmock started with `arguments`.
    static func llmock(_ arguments: [String] = []) -> Self { LlmockScope(arguments: arguments) }
}
