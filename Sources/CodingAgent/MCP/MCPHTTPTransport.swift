import Foundation
import Logging
import MCP

/// MCP's streamable HTTP transport over mg's libcurl client: each message is a POST; the
/// answer comes back as JSON or as a short Server-Sent-Events stream; `Mcp-Session-Id` from the
/// first answer goes with every later request.
///
/// Written here rather than using the SDK's `HTTPClientTransport` because on Linux that one
/// goes through URLSession and hands an SSE answer over unparsed; mg's HTTP goes through
/// libcurl (proxies, limits, the same redaction) and already parses SSE.
actor MCPHTTPTransport: Transport {
    nonisolated let logger = Logger(label: "mg.mcp.http", factory: { _ in SwiftLogNoOpLogHandler() })
    private let server: String
    private let url: String
    private let headers: [String: String]
    private let http: any HTTPTransport
    private let limits: TransferLimits
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var sessionID: String?
    let failure = MCPFailureSignal()

    init(server: String, url: String, headers: [String: String], http: any HTTPTransport, limits: TransferLimits) {
        self.server = server
        self.url = url
        self.headers = headers
        self.http = http
        self.limits = limits
        (stream, continuation) = AsyncThrowingStream.makeStream()
    }

    func connect() async throws {}

    func disconnect() async {
        if let sessionID {
            // Ends the server-side session (a server may refuse DELETE; that is fine).
            var request = HTTPRequest(method: "DELETE", url: url, headers: requestHeaders())
            request.headers.append(HTTPHeader("Mcp-Session-Id", sessionID))
            _ = try? await http.send(request, limits: TransferLimits(totalDeadline: .seconds(5)))
        }
        continuation.finish()
    }

    func send(_ data: Data) async throws {
        var request = HTTPRequest(method: "POST", url: url, headers: requestHeaders(), body: [.bytes(data)])
        if let sessionID { request.headers.append(HTTPHeader("Mcp-Session-Id", sessionID)) }
        let response: HTTPResponse
        do {
            response = try await http.send(request, limits: limits)
        } catch {
            throw MCPClientError.startFailed(server: server, reason: "\(url) cannot be reached: \(error)")
        }
        if let id = response.headers.first(where: { $0.key.lowercased() == "mcp-session-id" })?.value { sessionID = id }
        let type = response.headers.first(where: { $0.key.lowercased() == "content-type" })?.value.lowercased() ?? ""
        guard (200..<300).contains(response.status) else {
            var body = Data()
            for try await chunk in response.body where body.count < 2_000 { body.append(chunk) }
            throw MCPClientError.protocolError(
                server: server, operation: "a request",
                message: "HTTP \(response.status): \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
        if type.contains("text/event-stream") {
            for try await event in response.body.sseEvents where !event.data.isEmpty {
                continuation.yield(Data(event.data.utf8))
            }
        } else if response.status != 202 {
            var body = Data()
            for try await chunk in response.body { body.append(chunk) }
            guard !body.isEmpty else { return }
            guard (try? JSONSerialization.jsonObject(with: body)) != nil else {
                throw MCPClientError.garbage(server: server, line: String(decoding: body.prefix(120), as: UTF8.self))
            }
            continuation.yield(body)
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    private func requestHeaders() -> [HTTPHeader] {
        var list = [
            HTTPHeader("Content-Type", "application/json"),
            HTTPHeader("Accept", "application/json, text/event-stream"),
        ]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            let lower = name.lowercased()
            list.append(HTTPHeader(name, value, isSecret: lower == "authorization" || lower.contains("key") || lower.contains("token")))
        }
        return list
    }
}
