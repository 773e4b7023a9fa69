import CCurl
import Foundation

/// The production `HTTPTransport`: libcurl, one transfer per dedicated thread.
///
/// Each transfer runs on its own `Thread` (never on Swift's cooperative pool, where a blocking
/// transfer would hold one of only a few threads and serialise agents on a small machine),
/// driving a private `curl_multi` handle. The multi handle, rather than `curl_easy_perform`, is
/// there for cancellation: `curl_multi_wakeup` interrupts the thread's `curl_multi_poll` at once,
/// whereas an easy transfer notices an abort only at its next progress callback. An agent runs a
/// handful of transfers at a time, so a thread each costs little.
///
/// Behaviour:
/// - The body is produced from `HTTPRequest.body` parts through `CURLOPT_READFUNCTION`; files are
///   read, and base64-encoded when asked, in bounded chunks while sending, with an exact
///   `Content-Length` computed up front.
/// - `send` returns once the final response headers arrive (interim `100 Continue` skipped);
///   the body streams through `HTTPResponse.body`. HTTP error statuses are returned, not thrown.
/// - `TransferLimits`: the total deadline is `CURLOPT_TIMEOUT_MS`, the connect timeout
///   `CURLOPT_CONNECTTIMEOUT_MS`; the idle timeout is checked in the progress callback (and the
///   thread wakes at least every 100 ms to run it), counting any byte sent or received as activity.
/// - Cancelling the task awaiting `send`, or the task consuming the body (or dropping the body
///   stream), aborts the transfer and closes its connection promptly.
/// - Proxies come from the environment given at init, per `ProxySettings`.
/// - Nothing is logged; errors (`TransportError`) name the host, never headers or the URL query.
/// - Body chunks are buffered without limit if the consumer is slower than the network; model
///   streams are small, so no flow control is applied.
public struct LibcurlTransport: HTTPTransport {
    /// The proxies requests go through.
    public var proxies: ProxySettings

    /// A transport that takes its proxy settings from `environment` (the process environment by
    /// default), see `ProxySettings.init(environment:)`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        proxies = ProxySettings(environment: environment)
    }

    /// A transport with explicit proxy settings.
    public init(proxies: ProxySettings) {
        self.proxies = proxies
    }

    /// Starts the transfer and returns when the response headers have arrived.
    ///
    /// - Throws: `TransportError` when no response arrives (connection failure, timeout,
    ///   cancellation, unreadable body file).
    public func send(_ request: HTTPRequest, limits: TransferLimits) async throws -> HTTPResponse {
        guard Self.globalInitialisation == CURLE_OK else {
            throw TransportError.other(
                code: Int(Self.globalInitialisation.rawValue), host: CurlTransfer.redactedHost(request.url),
                message: "curl_global_init failed")
        }
        let transfer = try CurlTransfer(request: request, limits: limits, proxy: proxies)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.start(delivering: continuation)
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// `curl_global_init` runs once per process, before the first transfer (Swift initialises
    /// static properties exactly once, thread-safely).
    private static let globalInitialisation: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}
