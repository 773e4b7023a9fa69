import Foundation

/// A `ModelBackend` for any provider: encodes the request with its wire format, sends it through
/// an `HTTPTransport`, parses SSE, decodes chunks, and retries through `RetryPolicy` (429, 5xx,
/// resets, timeouts, honouring `Retry-After`) only while no chunk has been yielded.
///
/// Once a chunk has reached the consumer, a failure is thrown as is: retrying then would replay
/// text the user has already seen. Every failure reaches the caller as a `BackendError`.
public struct StreamingBackend<Format: ProviderWireFormat>: ModelBackend {
    /// The provider's wire format.
    public let format: Format
    /// The HTTP client (libcurl in production).
    public let transport: any HTTPTransport
    /// Deadlines for each attempt.
    public let limits: TransferLimits
    /// When and how often to retry.
    public let retry: RetryPolicy
    /// A short name for logs, e.g. `chatcompletion(qwen3:8b)`.
    public let displayName: String
    /// The server's answer to `propertiesRequest()`, asked once.
    private let properties = PropertiesMemo()

    /// Creates a backend.
    public init(
        format: Format, transport: any HTTPTransport, limits: TransferLimits = TransferLimits(),
        retry: RetryPolicy = RetryPolicy(), displayName: String
    ) {
        self.format = format
        self.transport = transport
        self.limits = limits
        self.retry = retry
        self.displayName = displayName
    }

    /// Streams one turn. Cancelling the consuming task (or dropping the stream) aborts the transfer.
    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await run(request) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The server's context window and slots (llama.cpp `GET /props`), asked once with a short
    /// deadline; `nil` for providers without such an endpoint or when the server does not answer.
    public func serverProperties() async -> ServerProperties? {
        if let known = properties.value { return known }
        guard let request = format.propertiesRequest() else { return nil }
        let quick = TransferLimits(totalDeadline: .seconds(5), idleTimeout: .seconds(5), connectTimeout: .seconds(2))
        var found: ServerProperties?
        if let response = try? await transport.send(request, limits: quick), (200..<300).contains(response.status) {
            var data = Data()
            do {
                for try await bytes in response.body where data.count < 1 << 20 { data += bytes }
            } catch {
                data = Data()
            }
            found = JSONValue.parse(String(decoding: data, as: UTF8.self)).flatMap(format.decodeProperties)
        }
        properties.value = .some(found)
        return found
    }

    /// Runs attempts under the retry policy and maps the final failure to a `BackendError`.
    func run(_ request: ModelRequest, yield: (StreamChunk) -> Void) async throws {
        let http = format.httpRequest(for: request)
        let secrets = http.headers.filter(\.isSecret).map(\.value)
        do {
            try await retry.run { attempt in
                let response = try await transport.send(http, limits: limits)
                guard (200..<300).contains(response.status) else {
                    throw try await failure(of: response, request: request)
                }
                var decoder = format.makeDecoder()
                func emit(_ events: [SSEEvent]) throws {
                    for event in events {
                        for chunk in try decoder.decode(event) {
                            attempt.markOutputEmitted()
                            yield(chunk)
                        }
                    }
                }
                let contentType = response.headers["content-type"]?.lowercased() ?? "text/event-stream"
                var body = response.body.makeAsyncIterator()
                var head = Data()
                if !contentType.contains("event-stream") {
                    // Some servers label an event stream text/plain: its first bytes decide.
                    while head.count < 64, let bytes = try await body.next() { head += bytes }
                }
                if contentType.contains("event-stream") || Self.looksLikeEventStream(head) {
                    var parser = SSEParser()
                    try emit(parser.feed(head))
                    while let bytes = try await body.next() { try emit(parser.feed(bytes)) }
                } else {
                    // A whole response (`stream: false`, or a server that does not stream), or
                    // something that is no model response at all (an HTML page, a proxy's JSON).
                    while head.count <= Self.completeResponseLimit, let bytes = try await body.next() { head += bytes }
                    try emit(try completeResponse(head, contentType: contentType, status: response.status))
                }
                for chunk in try decoder.finish() {
                    attempt.markOutputEmitted()
                    yield(chunk)
                }
            }
        } catch {
            throw classify(error, secrets: secrets)
        }
    }

    /// The events of a 2xx response that is no event stream: the format's reading of a whole
    /// JSON response, else an error that says what came back instead (a wrong `base_url` serving
    /// a web page, a server that cannot stream), never "closed the stream".
    func completeResponse(_ data: Data, contentType: String, status: Int) throws -> [SSEEvent] {
        let text = String(decoding: data.prefix(Self.completeResponseLimit), as: UTF8.self)
        if let json = JSONValue.parse(text) {
            if let error = json["error"] {
                throw BackendError.modelError(provider: format.providerName, message: error["message"]?.stringValue ?? error.jsonText)
            }
            if let events = format.completeResponseEvents(json) { return events }
        }
        let kind = contentType.split(separator: ";").first.map(String.init) ?? contentType
        let start = text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(120).replacingOccurrences(of: "\n", with: " ")
        throw BackendError.badRequest(
            provider: format.providerName, status: status,
            message: "the server answered with \(kind), not an event stream (\"\(start)\"). Check that base_url is the "
                + "API's address (usually ending in /v1); for a server that cannot stream, set `stream: false` "
                + "(Chat Completions backends)")
    }

    /// Whether a body's first bytes are Server-Sent Events (`data:`, `event:`, `id:`, `retry:` or a
    /// `:` comment), whatever its content type said.
    static func looksLikeEventStream(_ head: Data) -> Bool {
        let text = String(decoding: head, as: UTF8.self).drop { $0.isWhitespace }
        return [":", "data:", "event:", "id:", "retry:"].contains { text.hasPrefix($0) }
    }

    /// The most of a non-streamed response read (a whole model answer fits many times over).
    static var completeResponseLimit: Int { 16 << 20 }

    /// The error for a non-2xx response: a rejected invented tool call, Anthropic's 529
    /// "overloaded" (retryable, unlike other unknown statuses), or the status as is.
    func failure(of response: HTTPResponse, request: ModelRequest) async throws -> any Error {
        let status = try await HTTPStatusError(response: response)
        if let rejected = UnknownToolDetector.classify(
            status: status.status, body: status.body, tools: request.tools, provider: format.providerName)
        {
            return rejected
        }
        if status.status == 529 {
            return BackendError.fromHTTP(
                status, provider: format.providerName, keyVariable: format.keyVariable)
        }
        return status
    }

    /// Any failure as a `BackendError` naming this provider, with secrets masked.
    func classify(_ error: any Error, secrets: [String]) -> BackendError {
        if Task.isCancelled || error is CancellationError { return .cancelled }
        switch error {
        case let status as HTTPStatusError:
            let mapped = BackendError.fromHTTP(
                status, provider: format.providerName, keyVariable: format.keyVariable)
            return Self.masking(secrets, in: mapped)
        case let transport as TransportError:
            return Self.backendError(transport, provider: format.providerName)
        case let backend as BackendError:
            return backend
        default:
            return .network(provider: format.providerName, message: String(describing: error))
        }
    }

    /// The transport's failure in backend terms. Unlike `BackendError.fromTransport`, a body cut
    /// off at the HTTP level (no final chunk) is a dropped connection (`network`):
    /// `truncatedStream` is kept for a clean HTTP end without the provider's terminal event, so
    /// the two faults stay distinguishable.
    static func backendError(_ error: TransportError, provider: String) -> BackendError {
        switch error {
        case .truncatedResponse: .network(provider: provider, message: error.description)
        case .bodyUnreadable: .badRequest(provider: provider, status: 0, message: error.description)
        default: .fromTransport(error, provider: provider)
        }
    }

    /// Some servers echo the key they refused; it must not reach logs or the terminal.
    static func masking(_ secrets: [String], in error: BackendError) -> BackendError {
        func scrub(_ text: String) -> String {
            var result = text
            for secret in secrets {
                let bare = secret.hasPrefix("Bearer ") ? String(secret.dropFirst(7)) : secret
                guard bare.count >= 4 else { continue }
                result = result.replacingOccurrences(of: bare, with: APIKeyMask.mask(bare))
            }
            return result
        }
        switch error {
        case .unauthorized(let provider, let status, let message, let variable):
            return .unauthorized(
                provider: provider, status: status, message: scrub(message), keyVariable: variable)
        case .badRequest(let provider, let status, let message):
            return .badRequest(provider: provider, status: status, message: scrub(message))
        case .quotaExceeded(let provider, let message):
            return .quotaExceeded(provider: provider, message: scrub(message))
        case .serverError(let provider, let status, let message):
            return .serverError(provider: provider, status: status, message: scrub(message))
        default:
            return error
        }
    }
}

extension BackendError: RetryableError {
    /// Errors raised on the backend side of an attempt (in-stream provider errors, an early end
    /// of the stream, Anthropic's 529) may succeed on a fresh attempt; a model error, a rejected
    /// invented tool call, bad credentials or a bad request will not.
    public var isRetryable: Bool {
        switch self {
        case .serverError, .network, .timeout, .truncatedStream: true
        case .quotaExceeded(_, let message): !message.lowercased().contains("insufficient_quota")
        case .unauthorized, .badRequest, .modelError, .toolCallRejected, .cancelled: false
        }
    }

    /// Backend errors carry no server-requested wait; the policy's backoff applies.
    public var retryAfter: Duration? { nil }
}

/// Remembers a server's properties once asked (the backend value is copied freely; the memo is shared).
private final class PropertiesMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: ServerProperties??

    /// `nil`: not asked yet; `.some(nil)`: asked, no answer.
    var value: ServerProperties?? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
