import FlyingFox
import FlyingSocks
import Foundation
import GitWorkspace
import Synchronization
import Voting

/// The live web view (`mg serve`, `mg fix --web`): a read-only HTTP server on 127.0.0.1, on a
/// free port, that answers only requests carrying its random token.
///
/// FlyingFox rather than Hummingbird: it is a small server on plain sockets with no SwiftNIO to
/// build (a first Hummingbird build takes minutes on two cores), and streams a response body
/// from an async sequence, which is all Server-Sent Events need.
///
/// Routes (each needs `?token=`): `/` lists the sessions; `/session/<id>` is the live page;
/// `/api/session/<id>` its `ReportDocument` as JSON; `/api/events/<id>` its events (SSE).
public final class LiveServer: Sendable {
    /// The token every request must carry.
    public let token: String
    /// The port listened on.
    public let port: UInt16
    private let server: HTTPServer
    private let task: Task<Void, Never>
    private let streams: StreamCounter

    private init(server: HTTPServer, task: Task<Void, Never>, token: String, port: UInt16, streams: StreamCounter) {
        self.server = server
        self.task = task
        self.token = token
        self.port = port
        self.streams = streams
    }

    /// Starts serving the sessions of the repository at `repositoryRoot`; `port` 0 picks a free one.
    public static func start(repositoryRoot: String, port: UInt16 = 0) async throws -> LiveServer {
        let token = randomToken()
        let counter = StreamCounter()
        let handler = LiveHandler(
            layout: ProjectLayout(repositoryRoot: repositoryRoot), token: token,
            pageServed: { counter.pageServed() }, opened: { counter.opened() }, closed: { counter.closed() })
        let server = HTTPServer(
            address: try .inet(ip4: "127.0.0.1", port: port), timeout: 60, logger: .disabled, handler: handler)
        let task = Task { _ = try? await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let bound)? = await server.listeningAddress else {
            task.cancel()
            throw SessionStoreError.file(path: "127.0.0.1", reason: "the web view's server did not start listening")
        }
        return LiveServer(server: server, task: task, token: token, port: bound, streams: counter)
    }

    /// The address of the session list, or of one session's live page.
    public func url(session: String? = nil) -> String {
        let path = session.map { "/session/" + $0 } ?? "/"
        return "http://127.0.0.1:\(port)\(path)?token=\(token)"
    }

    /// Event streams open right now.
    public var openStreams: Int { streams.value }

    /// Waits (up to `timeout`) for the open event streams to send their final snapshot, and for
    /// pages served just before the end to open theirs (a page opened as the session finishes
    /// still shows its end), then stops.
    public func finish(timeout: Duration = .seconds(10)) async {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while streams.awaited > 0 && clock.now < end {
            try? await Task.sleep(for: .milliseconds(50))
        }
        await stop()
    }

    /// Stops listening and closes the connections.
    public func stop() async {
        await server.stop(timeout: 1)
        task.cancel()
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Serves the routes of `LiveServer`.
struct LiveHandler: HTTPHandler {
    let layout: ProjectLayout
    let token: String
    let pageServed: @Sendable () -> Void
    let opened: @Sendable () -> Void
    let closed: @Sendable () -> Void

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET else { return Self.text(.methodNotAllowed, "This server is read-only.") }
        guard request.query["token"] == token else {
            return Self.text(.forbidden, "Missing or wrong token: use the address mg printed.")
        }
        let parts = request.path.split(separator: "/").map(String.init)
        switch parts.count {
        case 0:
            return try index()
        case 2 where parts[0] == "session":
            pageServed()
            return Self.html(ReportPage.liveHTML(session: parts[1], token: token))
        case 3 where parts[0] == "api" && parts[1] == "session":
            return try document(parts[2])
        case 3 where parts[0] == "api" && parts[1] == "events":
            opened()
            let body = EventStream(layout: layout, session: parts[2]).bytes(onEnd: closed)
            return HTTPResponse(
                statusCode: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", HTTPHeader("Cache-Control"): "no-cache"],
                body: HTTPBodySequence(from: body))
        default:
            return Self.text(.notFound, "No such page.")
        }
    }

    private func document(_ session: String) throws -> HTTPResponse {
        let store = try SessionStore.open(layout: layout)
        defer { store.close() }
        guard try store.session(session) != nil else { return Self.text(.notFound, "No session \(session).") }
        let document = try ReportBuilder(store: store, layout: layout).build(session: session)
        return HTTPResponse(
            statusCode: .ok, headers: [.contentType: "application/json", HTTPHeader("Cache-Control"): "no-cache"],
            body: try ReportPage.json(document))
    }

    private func index() throws -> HTTPResponse {
        let store = try SessionStore.open(layout: layout)
        defer { store.close() }
        let rows = try store.listSessions(limit: 200).map { summary in
            let link = "/session/\(summary.id)?token=\(token)"
            return "<tr><td><a href=\"\(link)\">\(ReportPage.escape(summary.id))</a></td>"
                + "<td>\(summary.status.rawValue)</td><td>\(ReportPage.escape(summary.winner ?? ""))</td>"
                + "<td>\(ReportPage.escape(String(summary.task.prefix(120))))</td></tr>"
        }
        return Self.html(
            """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>mg sessions</title>
            <link rel="icon" href="data:,"><style>\(ReportStyle.css)</style></head><body><main>
            <h1>mg sessions</h1><table><tr><th>session</th><th>status</th><th>winner</th><th>task</th></tr>
            \(rows.joined(separator: "\n"))</table></main></body></html>
            """)
    }

    static func html(_ text: String) -> HTTPResponse {
        HTTPResponse(
            statusCode: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: Data(text.utf8))
    }

    static func text(_ status: HTTPStatusCode, _ text: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(text.utf8))
    }
}

/// The live pages the server waits for before it stops: event streams open now, and pages
/// served whose stream has not opened yet (a browser still starting its script).
final class StreamCounter: Sendable {
    private let counts = Mutex((open: 0, pending: 0))
    /// A live page was served: its event stream will follow.
    func pageServed() { counts.withLock { $0.pending += 1 } }
    func opened() { counts.withLock { $0.open += 1; $0.pending = max(0, $0.pending - 1) } }
    func closed() { counts.withLock { $0.open -= 1 } }
    /// Open streams.
    var value: Int { counts.withLock { $0.open } }
    /// Open streams and pages whose stream is still to come.
    var awaited: Int { counts.withLock { $0.open + $0.pending } }
}
