import Foundation

/// One piece of a request body. Bodies are sent part by part, so a file part is read
/// (and base64-encoded when asked) while the request streams: memory stays bounded.
public enum BodyPart: Sendable, Hashable {
    case bytes(Data)
    /// The raw bytes of the file at `path`.
    case file(path: String)
    /// The file at `path`, base64-encoded on the fly (no line breaks).
    case base64File(path: String)
}

/// An HTTP request to a provider.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    /// Header fields in order; names are sent as given.
    public var headers: [HTTPHeader]
    public var body: [BodyPart]

    public init(method: String = "POST", url: String, headers: [HTTPHeader] = [], body: [BodyPart] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One header field.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    /// Secret headers (API keys) are never logged.
    public var isSecret: Bool

    public init(_ name: String, _ value: String, isSecret: Bool = false) {
        self.name = name
        self.value = value
        self.isSecret = isSecret
    }
}

/// Deadlines for one transfer.
public struct TransferLimits: Sendable, Hashable {
    /// Whole transfer, connection included.
    public var totalDeadline: Duration
    /// Longest stretch with no byte received once the request is sent.
    public var idleTimeout: Duration
    public var connectTimeout: Duration

    public init(
        totalDeadline: Duration = .seconds(600), idleTimeout: Duration = .seconds(120),
        connectTimeout: Duration = .seconds(30)
    ) {
        self.totalDeadline = totalDeadline
        self.idleTimeout = idleTimeout
        self.connectTimeout = connectTimeout
    }
}

/// A response whose body arrives as a stream of byte chunks.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: [String: String], body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Sends HTTP requests. The production implementation runs libcurl; cancelling the
/// consuming task aborts the transfer.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, limits: TransferLimits) async throws -> HTTPResponse
}

/// One Server-Sent Event (https://html.spec.whatwg.org/multipage/server-sent-events.html).
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field; `nil` means the default type `message`.
    public var event: String?
    /// All `data:` lines of the event joined with "\n".
    public var data: String
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}
