import Foundation

/// One header line exactly as the client sent it (name case preserved).
public struct RecordedHeader: Sendable, Hashable {
    /// The field name as sent; compare case-insensitively (see `RecordedRequest.header(_:)`).
    public var name: String
    /// The field value with surrounding whitespace trimmed.
    public var value: String

    /// Creates a header line.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A request the `LoopbackHTTPServer` received, recorded before its handler ran.
///
/// Tests read these to check invariants of every request (no key in the body, every tool call
/// answered, media encoded as the provider expects).
public struct RecordedRequest: Sendable, Hashable {
    /// 0 for the first request the server received, 1 for the next, … across all connections.
    /// Handlers use it to script sequences such as "429, then 200".
    public var sequenceNumber: Int
    /// Which TCP connection carried the request (0-based, in accept order).
    public var connectionNumber: Int
    /// `GET`, `POST`, …
    public var method: String
    /// The request target exactly as sent: `/v1/chat?x=1`, or `http://host/v1/chat` (absolute form)
    /// when the client talked to this server as an HTTP proxy.
    public var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    public var httpVersion: String
    /// Header lines in the order received.
    public var headers: [RecordedHeader]
    /// The decoded body (chunked framing removed). Empty when the server runs with
    /// `LoopbackHTTPServer.Options.storeBodies == false`; `bodyByteCount` is still exact.
    public var body: Data
    /// Number of decoded body bytes received.
    public var bodyByteCount: Int
    /// Whether the body arrived with `Transfer-Encoding: chunked`.
    public var bodyWasChunked: Bool

    /// Creates a record (the server builds these; tests rarely need to).
    public init(
        sequenceNumber: Int, connectionNumber: Int, method: String, target: String, httpVersion: String,
        headers: [RecordedHeader], body: Data, bodyByteCount: Int, bodyWasChunked: Bool
    ) {
        self.sequenceNumber = sequenceNumber
        self.connectionNumber = connectionNumber
        self.method = method
        self.target = target
        self.httpVersion = httpVersion
        self.headers = headers
        self.body = body
        self.bodyByteCount = bodyByteCount
        self.bodyWasChunked = bodyWasChunked
    }

    /// True when the target is absolute (`http://host/path`), i.e. the client used this server as a proxy.
    public var isAbsoluteForm: Bool {
        target.hasPrefix("http://") || target.hasPrefix("https://")
    }

    /// The path and query without scheme and authority: `/v1/chat?x=1` for either target form.
    public var pathAndQuery: String {
        guard isAbsoluteForm, let schemeEnd = target.range(of: "://") else { return target }
        let afterScheme = target[schemeEnd.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return "/" }
        return String(afterScheme[slash...])
    }

    /// The path alone (no query string).
    public var path: String {
        let full = pathAndQuery
        guard let question = full.firstIndex(of: "?") else { return full }
        return String(full[..<question])
    }

    /// The query string after `?`, or nil when there is none.
    public var query: String? {
        let full = pathAndQuery
        guard let question = full.firstIndex(of: "?") else { return nil }
        return String(full[full.index(after: question)...])
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// All values of the header `name`, compared case-insensitively.
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The body decoded as UTF-8 (invalid sequences repaired), for assertions and messages.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// The body parsed as JSON (`JSONSerialization` objects), or nil when it is not JSON.
    public var bodyJSON: Any? {
        try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
    }
}
