import Foundation
import MCP

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
            _ = try await connection.limited("initialize") { try await client.connect(transport: transport) }
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

    /// Runs `body` against the time limit and the transport's failure.
    private func limited<T: Sendable>(_ operation: String, _ body: @escaping @Sendable () async throws -> T)
        async throws(MCPClientError) -> T
    {
        let timeout = spec.callTimeout
        let failure = self.failure
        let name = spec.name
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await body() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw MCPClientError.timedOut(server: name, operation: operation, seconds: timeout.inSeconds)
                }
                group.addTask { throw try await failure.wait() }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw MCPClientError.startFailed(server: name, reason: "no answer")
                }
                return value
            }
        } catch let error as MCPClientError {
            throw error
        } catch let error as MCPError {
            throw MCPClientError.protocolError(server: name, operation: operation, message: error.localizedDescription)
        } catch {
            if let reason = await failure.reason { throw reason }
            throw MCPClientError.protocolError(server: name, operation: operation, message: "\(error)")
        }
    }
}
