import Foundation
import Logging
import MCP

/// The MCP stdio transport over a program mg starts (`LineProcess`): one JSON-RPC message per
/// line each way.
///
/// Written here rather than using the SDK's `StdioTransport` because mg must start the server
/// itself (own process group, killed with the agent) and must tell a server that exits or
/// prints non-JSON on stdout from one that is merely slow: either ends the stream at once with
/// an `MCPClientError` that names the server, instead of leaving requests to time out.
actor MCPProcessTransport: Transport {
    nonisolated let logger = Logger(label: "mg.mcp.stdio", factory: { _ in SwiftLogNoOpLogHandler() })
    private let server: String
    private let launch: LineProcess.Launch
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var writer: LineWriter?
    private var task: Task<Void, Never>?
    private let failure = MCPFailureSignal()

    init(server: String, launch: LineProcess.Launch) {
        self.server = server
        self.launch = launch
        (stream, continuation) = AsyncThrowingStream.makeStream()
    }

    /// Resolves when the transport has failed (exit, garbage), with the reason.
    nonisolated var failed: MCPFailureSignal { failure }

    func connect() async throws {
        let (started, startedContinuation) = AsyncStream<LineWriter?>.makeStream()
        let launch = self.launch
        let server = self.server
        task = Task {
            do {
                let exit = try await LineProcess.run(
                    launch, started: { startedContinuation.yield($0) },
                    stdout: { [weak self] line in await self?.received(line) })
                let tail = exit.stderrTail.suffix(3).joined(separator: " | ")
                await self.fail(.startFailed(server: server, reason: "it exited (\(exit.summary))" + (tail.isEmpty ? "." : ": \(tail)")))
            } catch let error as LineProcessError {
                let problem: MCPClientError =
                    if case .notFound(let command) = error {
                        .commandNotFound(server: server, command: command)
                    } else {
                        .startFailed(server: server, reason: error.description)
                    }
                await self.fail(problem)
            } catch {
                await self.fail(.startFailed(server: server, reason: "\(error)"))
            }
            startedContinuation.yield(nil)
            startedContinuation.finish()
        }
        for await writer in started {
            self.writer = writer
            break
        }
        if writer == nil {
            throw await failure.reason ?? MCPClientError.startFailed(server: server, reason: "it did not start")
        }
    }

    func disconnect() async {
        writer?.terminate()
        task?.cancel()
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        guard let writer, await writer.write(String(decoding: data, as: UTF8.self)) else {
            // The server is gone; its exit is recorded a moment later, with the reason.
            for _ in 0..<40 where await failure.reason == nil { try? await Task.sleep(for: .milliseconds(50)) }
            throw await failure.reason ?? MCPClientError.startFailed(server: server, reason: "its stdin is closed")
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    private func received(_ line: String) async {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return }
        let data = Data(trimmed.utf8)
        guard trimmed.first == "{" || trimmed.first == "[", (try? JSONSerialization.jsonObject(with: data)) != nil else {
            await fail(.garbage(server: server, line: trimmed))
            writer?.terminate()
            return
        }
        continuation.yield(data)
    }

    private func fail(_ problem: MCPClientError) async {
        if await failure.signal(problem) { continuation.finish(throwing: problem) }
    }
}

/// A one-shot signal that a connection failed, awaited next to each request.
actor MCPFailureSignal {
    private(set) var reason: MCPClientError?
    private var waiters: [Int: CheckedContinuation<MCPClientError?, Never>] = [:]
    private var nextWaiter = 0

    /// Records the first failure; false when one was already recorded.
    func signal(_ problem: MCPClientError) -> Bool {
        guard reason == nil else { return false }
        reason = problem
        for waiter in waiters.values { waiter.resume(returning: problem) }
        waiters = [:]
        return true
    }

    /// Waits for the failure; returns when one comes, or throws `CancellationError` when the
    /// waiting task is cancelled (callers race it against their work).
    func wait() async throws -> MCPClientError {
        if let reason { return reason }
        let id = nextWaiter
        nextWaiter += 1
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<MCPClientError?, Never>) in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
        guard let result else { throw CancellationError() }
        return result
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume(returning: nil)
    }
}
