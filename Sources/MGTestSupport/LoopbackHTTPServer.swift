import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) whose replies a test scripts byte by byte.
///
/// Written on POSIX sockets rather than an HTTP framework because the tests need faults that
/// frameworks hide: a TCP reset mid-stream, a stall that sends nothing, a body cut short.
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///     request.sequenceNumber == 0
///         ? .json(status: 429, #"{"error":{"message":"slow down"}}"#, headers: [("Retry-After", "1")])
///         : .sse([SSEFrame(data: #"{"text":"hi"}"#), SSEFrame(data: "[DONE]")])
/// }
/// defer { server.stop() }
/// // point the client at server.url("/v1/chat/completions") …
/// #expect(server.requests.count == 2)
/// #expect(server.requests.allSatisfy { !$0.bodyText.contains("sk-secret") })
/// ```
///
/// Each connection runs on its own thread, so concurrent clients are served concurrently; the
/// handler may therefore run on several threads at once. Requests are parsed with
/// `Content-Length` or `Transfer-Encoding: chunked` bodies, `Expect: 100-continue` is answered,
/// absolute-form targets (proxy requests) are accepted, and connections are kept alive between
/// requests when the response framing allows it and `Options.keepAlive` is on.
///
/// Every request is recorded (before the handler runs) and readable through `requests`.
/// `stop()` ends every connection (stalls included) and waits for the socket threads; `deinit`
/// stops the server too, so forgetting `stop()` leaks nothing.
public final class LoopbackHTTPServer: Sendable {
    /// Server behaviour switches.
    public struct Options: Sendable, Hashable {
        /// Keep request bodies in `RecordedRequest.body`. Turn off for huge uploads: the server then
        /// only counts body bytes (`bodyByteCount`), so its memory stays flat.
        public var storeBodies: Bool
        /// Serve further requests on a connection after a complete response. When off, every
        /// response is sent with `Connection: close` and the socket closed afterwards.
        public var keepAlive: Bool

        /// Creates options; the defaults store bodies and keep connections alive.
        public init(storeBodies: Bool = true, keepAlive: Bool = true) {
            self.storeBodies = storeBodies
            self.keepAlive = keepAlive
        }
    }

    /// Decides the reply to each request. Called on a socket thread, possibly concurrently.
    public typealias Handler = @Sendable (RecordedRequest) -> ScriptedHTTPResponse

    /// The TCP port the server listens on.
    public let port: Int
    private let core: LoopbackServerCore

    /// Binds 127.0.0.1 on a free port and starts accepting connections.
    ///
    /// - Throws: `LoopbackHTTPServerError` when the socket cannot be created, bound or listened on.
    public init(options: Options = Options(), handler: @escaping Handler) throws(LoopbackHTTPServerError) {
        let (fd, port) = try Self.listeningSocket()
        self.port = port
        core = LoopbackServerCore(listenFD: fd, options: options, handler: handler)
        core.startAccepting()
    }

    deinit {
        core.stop()
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `baseURL` followed by `path` (which should start with `/`).
    public func url(_ path: String) -> String { baseURL + path }

    /// Every request received so far, in arrival order.
    public var requests: [RecordedRequest] { core.state.withLock { $0.requests } }

    /// Counters describing what happened on the sockets so far.
    public var statistics: LoopbackServerStatistics { core.state.withLock { $0.statistics } }

    /// Waits (without blocking a cooperative thread) until `condition` holds for the current
    /// statistics, or `timeout` passes. Returns whether the condition held.
    ///
    /// Use it to prove things happened on the server side, e.g. that a cancelled client closed its
    /// connection: `await server.waitUntil { $0.connectionsClosedByClient >= 1 }`.
    public func waitUntil(
        timeout: Duration = .seconds(30), _ condition: @Sendable (LoopbackServerStatistics) -> Bool
    ) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if condition(statistics) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(statistics)
    }

    /// Closes the listening socket and every connection (ending stalls), then waits up to 5 s for
    /// the socket threads to finish. Safe to call more than once.
    public func stop() {
        core.stop()
    }

    private static func listeningSocket() throws(LoopbackHTTPServerError) -> (Int32, Int) {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(0).bigEndian
        address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw .socket(operation: "bind 127.0.0.1", errno: code)
        }
        guard listen(fd, 128) == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw .socket(operation: "listen", errno: code)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            _ = systemClose(fd)
            throw .socket(operation: "getsockname", errno: code)
        }
        return (fd, Int(in_port_t(bigEndian: address.sin_port)))
    }
}

/// What the server's sockets saw, for assertions about client behaviour.
public struct LoopbackServerStatistics: Sendable, Hashable {
    /// TCP connections accepted.
    public var connectionsAccepted = 0
    /// Connections that have ended, for any reason.
    public var connectionsFinished = 0
    /// Connections the client closed or reset while the server was still sending, sleeping or
    /// stalling in a response: evidence that a client aborted its transfer.
    public var connectionsClosedByClient = 0
    /// Requests fully received.
    public var requestsReceived = 0

    /// Connections accepted and not yet finished.
    public var openConnections: Int { connectionsAccepted - connectionsFinished }
}

/// The server could not start.
public enum LoopbackHTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A socket call failed; `errno` says why.
    case socket(operation: String, errno: Int32)

    /// A sentence naming the failed call and the system's reason.
    public var description: String {
        switch self {
        case .socket(let operation, let code):
            "The loopback test server could not \(operation): \(String(cString: strerror(code))) (errno \(code))."
        }
    }
}

/// `close(2)` under a name that cannot collide with methods.
@discardableResult
func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(fd)
    #else
        Darwin.close(fd)
    #endif
}
