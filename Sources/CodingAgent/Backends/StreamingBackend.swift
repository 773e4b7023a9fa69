import Foundation

/// A `ModelBackend` for any provider: encodes the request with its wire format, sends it through
/// an `HTTPTransport`, parses SSE, decodes chunks, and retries failures that happen before any
/// chunk was yielded (429, 5xx, resets, timeouts), honouring `Retry-After`.
///
/// Once a chunk has reached the consumer, a failure is thrown as is: retrying then would replay
/// text the user has already seen.
public struct StreamingBackend<Format: ProviderWireFormat>: ModelBackend {
    /// The provider's wire format.
    public let format: Format
    /// The HTTP client (libcurl in production, any transport in tests).
    public let transport: any HTTPTransport
    /// Deadlines for each attempt.
    public let limits: TransferLimits
    /// When and how often to retry.
    public let retry: BackendRetryPolicy
    /// A short name for logs, e.g. `OpenAI chat(gpt-4o-mini)`.
    public let displayName: String

    /// Creates a backend.
    public init(
        format: Format, transport: any HTTPTransport, limits: TransferLimits = TransferLimits(),
        retry: BackendRetryPolicy = BackendRetryPolicy(), displayName: String
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

    /// Runs attempts until one succeeds, a failure is final, or a chunk was already yielded.
    func run(_ request: ModelRequest, yield: (StreamChunk) -> Void) async throws {
        let http = format.httpRequest(for: request)
        var attempt = 1
        while true {
            var yielded = false
            var retryAfter: Duration?
            do {
                try await attemptOnce(http, request: request, retryAfter: &retryAfter) { chunk in
                    yielded = true
                    yield(chunk)
                }
                return
            } catch {
                let failure = classify(error)
                guard !yielded, attempt < retry.maxAttempts, Self.isRetryable(failure), !Task.isCancelled else {
                    throw Task.isCancelled ? BackendError.cancelled : failure
                }
                do {
                    try await retry.sleep(retry.delay(afterAttempt: attempt, retryAfter: retryAfter))
                } catch {
                    throw BackendError.cancelled
                }
                attempt += 1
            }
        }
    }

    func attemptOnce(
        _ http: HTTPRequest, request: ModelRequest, retryAfter: inout Duration?, yield: (StreamChunk) -> Void
    ) async throws {
        let response = try await transport.send(http, limits: limits)
        guard (200..<300).contains(response.status) else {
            retryAfter = BackendRetryPolicy.retryAfter(from: response.headers)
            let body = await Self.collect(response.body, limit: 64 * 1024)
            if let rejected = UnknownToolDetector.classify(
                status: response.status, body: body, tools: request.tools, provider: format.providerName)
            {
                throw rejected
            }
            throw HTTPErrorMapping.error(
                status: response.status, body: body, provider: format.providerName, keyVariable: format.keyVariable,
                secrets: http.headers.filter(\.isSecret).map(\.value))
        }
        var parser = SSEParser()
        var decoder = format.makeDecoder()
        for try await bytes in response.body {
            for event in parser.feed(bytes) {
                for chunk in try decoder.decode(event) { yield(chunk) }
            }
        }
        for chunk in try decoder.finish() { yield(chunk) }
    }

    /// Any error as a `BackendError` naming this provider.
    func classify(_ error: any Error) -> BackendError {
        if Task.isCancelled || error is CancellationError { return .cancelled }
        if let transportError = error as? TransportError {
            return Self.backendError(transportError, provider: format.providerName)
        }
        guard let backendError = error as? BackendError else {
            return .network(provider: format.providerName, message: String(describing: error))
        }
        // Transports report without knowing the provider; name it here.
        switch backendError {
        case .network(let provider, let message) where provider != format.providerName:
            return .network(provider: format.providerName, message: message)
        case .timeout(let provider, let message) where provider != format.providerName:
            return .timeout(provider: format.providerName, message: message)
        default:
            return backendError
        }
    }

    /// The transport's failure in backend terms (retryability follows from the case).
    static func backendError(_ error: TransportError, provider: String) -> BackendError {
        switch error {
        case .connectionFailed, .connectionReset, .tls, .other:
            return .network(provider: provider, message: error.description)
        case .truncatedResponse:
            return .truncatedStream(provider: provider)
        case .timedOut:
            return .timeout(provider: provider, message: error.description)
        case .cancelled:
            return .cancelled
        case .bodyUnreadable:
            // A media file vanished or changed while sending: retrying cannot help.
            return .badRequest(provider: provider, status: 0, message: error.description)
        }
    }

    static func isRetryable(_ error: BackendError) -> Bool {
        switch error {
        case .quotaExceeded(_, let message):
            // Exhausted credit does not come back by waiting.
            return !message.lowercased().contains("insufficient_quota") && !message.lowercased().contains("billing")
        case .serverError, .network, .timeout, .truncatedStream: return true
        case .unauthorized, .badRequest, .modelError, .toolCallRejected, .cancelled: return false
        }
    }

    /// Reads at most `limit` bytes of an error body (errors are small; a broken server may not be).
    static func collect(_ body: AsyncThrowingStream<Data, any Error>, limit: Int) async -> String {
        var data = Data()
        do {
            for try await piece in body {
                data.append(piece.prefix(limit - data.count))
                if data.count >= limit { break }
            }
        } catch {
            // A body cut short still says something; keep what arrived.
        }
        return String(decoding: data, as: UTF8.self)
    }
}
