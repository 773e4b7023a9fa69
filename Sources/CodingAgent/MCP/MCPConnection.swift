import Foundation
import MCP
import Synchronization

/// One running MCP server of one agent: the SDK's `Client` over mg's transport, with every
/// request raced against the server's time limit and against the transport failing (exit,
/// garbage on stdout), so a broken server gives its error at once and a slow one a timeout.
actor MCPConnection {
    let spec: MCPServerSpec
    private let client: Client
    private let transport: any Transport
    private let failure: MCPFailureSignal

    private init(spec: MCPServerSpec, client: Client, transport: any Transport, failure: MCPFailureSignal) {
        self.spec = spec
        self.client = client
        self.transport = transport
        self.failure = failure
    }

    /// Starts the server (`workingDirectory` for stdio servers without their own `cwd`) and
    /// completes MCP's initialize handshake.
    static func open(
        _ spec: MCPServerSpec, workingDirectory: String, environment: [String: String], http: any HTTPTransport
    ) async throws(MCPClientError) -> MCPConnection {
        let transport: any Transport
        let failure: MCPFailureSignal
        switch spec.transport {
        case .stdio(let command, let arguments, let extra, let directory):
            var merged = environment
            merged.merge(extra) { _, new in new }
            let process = MCPProcessTransport(
                server: spec.name,
                launch: LineProcess.Launch(
                    executable: command, arguments: arguments, environment: merged,
                    workingDirectory: directory ?? workingDirectory))
            transport = process
            failure = process.failed
        case .http(let url, let headers):
            let remote = MCPHTTPTransport(
                server: spec.name, url: url, headers: headers, http: http,
                limits: TransferLimits(totalDeadline: spec.callTimeout, idleTimeout: spec.callTimeout))
            transport = remote
            failure = remote.failure
        }
        let client = Client(name: "mg", version: "0.1.0")
        let connection = MCPConnection(spec: spec, client: client, transport: transport, failure: failure)
        do {
            _ = try await connection.limited("initialize", within: spec.startTimeout) {
                try await client.connect(transport: transport)
            }
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    /// The server's tools that pass the filters, every page of them.
    func tools() async throws(MCPClientError) -> [Tool] {
        var all: [Tool] = []
        var cursor: String?
        repeat {
            let page = try await limited("tools/list") { [client, cursor] in try await client.listTools(cursor: cursor) }
            all += page.tools
            cursor = page.nextCursor
        } while cursor != nil && all.count < 1_000
        return all.filter { spec.offers($0.name) }
    }

    /// Calls `tool`; a server error or a timeout is thrown, a tool's own error comes back flagged.
    func call(_ tool: String, arguments: [String: Value]) async throws(MCPClientError) -> (content: [Tool.Content], isError: Bool) {
        let result = try await limited("tools/call \(tool)") { [client] in
            try await client.callTool(name: tool, arguments: arguments)
        }
        return (result.content, result.isError ?? false)
    }

    /// Ends the connection and the server.
    func close() async {
        await client.disconnect()
        await transport.disconnect()
    }

    /// Runs `body` against the time limit (the call timeout unless given) and the transport's
    /// failure, whichever comes first. The loser is not awaited: the SDK does not end a pending
    /// request on cancellation, so a timed-out request stays pending until `close()`.
    private func limited<T: Sendable>(
        _ operation: String, within limit: Duration? = nil, _ body: @escaping @Sendable () async throws -> T
    ) async throws(MCPClientError) -> T {
        let timeout = limit ?? spec.callTimeout
        let failure = self.failure
        let name = spec.name
        let result: Result<T, MCPClientError> = await withCheckedContinuation { continuation in
            let race = FirstResult(continuation)
            let work = Task {
                do {
                    race.finish(.success(try await body()))
                } catch let error as MCPClientError {
                    race.finish(.failure(error))
                } catch let error as MCPError {
                    let reason = await failure.reason
                    race.finish(.failure(reason ?? .protocolError(server: name, operation: operation, message: error.localizedDescription)))
                } catch {
                    let reason = await failure.reason
                    race.finish(.failure(reason ?? .protocolError(server: name, operation: operation, message: "\(error)")))
                }
            }
            let timer = Task {
                guard (try? await Task.sleep(for: timeout)) != nil else { return }
                race.finish(.failure(.timedOut(server: name, operation: operation, seconds: timeout.inSeconds)))
            }
            let watcher = Task {
                guard let reason = try? await failure.wait() else { return }
                race.finish(.failure(reason))
            }
            race.onFinish {
                timer.cancel()
                watcher.cancel()
                _ = work
            }
        }
        return try result.get()
    }
}

/// Resumes a continuation with the first result offered; later ones are dropped.
private final class FirstResult<T: Sendable>: Sendable {
    private let state: Mutex<(continuation: CheckedContinuation<Result<T, MCPClientError>, Never>?, cleanup: (@Sendable () -> Void)?, done: Bool)>

    init(_ continuation: CheckedContinuation<Result<T, MCPClientError>, Never>) {
        state = Mutex((continuation, nil, false))
    }

    func finish(_ result: Result<T, MCPClientError>) {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<Result<T, MCPClientError>, Never>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            defer { state.continuation = nil }
            return (state.continuation, state.cleanup)
        }
        continuation?.resume(returning: result)
        cleanup?()
    }

    /// Runs `cleanup` once a result is in (at once if it already is).
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = cleanup
            return false
        }
        if runNow { cleanup() }
    }
}
