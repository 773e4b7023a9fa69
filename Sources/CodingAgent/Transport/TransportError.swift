import Foundation

/// Why an HTTP transfer failed below the HTTP level (no usable response, or the body broke off).
///
/// HTTP error statuses are not transport errors: they arrive as an `HTTPResponse` whose body a
/// backend turns into a `BackendError`.
public enum TransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which clock ran out.
    public enum TimeoutKind: String, Sendable, Hashable {
        /// No TCP connection within `TransferLimits.connectTimeout`.
        case connect
        /// No byte moved for `TransferLimits.idleTimeout`.
        case idle
        /// The whole transfer exceeded `TransferLimits.totalDeadline`.
        case total
    }

    /// The server could not be reached: refused, unresolvable host or proxy.
    case connectionFailed(host: String, message: String)
    /// The connection broke: reset by the peer, or closed before any response arrived.
    case connectionReset(host: String, message: String)
    /// The response body ended before its declared end (Content-Length or final chunk).
    case truncatedResponse(host: String, message: String)
    /// A deadline passed.
    case timedOut(TimeoutKind, host: String, message: String)
    /// The caller cancelled the transfer.
    case cancelled
    /// TLS handshake or certificate verification failed.
    case tls(host: String, message: String)
    /// A request body part could not be read (missing file, file changed size while sending).
    case bodyUnreadable(path: String, message: String)
    /// Anything else libcurl reported; `code` is the `CURLcode`.
    case other(code: Int, host: String, message: String)

    /// Whether a fresh attempt may succeed: refused, reset or cut-off connections. Timeouts are
    /// not retried: a stalled provider tends to stall again, and each retry would add a whole
    /// timeout to the user's wait. Cancellation, TLS and unreadable input are final too.
    public var isRetryable: Bool {
        switch self {
        case .connectionFailed, .connectionReset, .truncatedResponse: true
        case .timedOut, .cancelled, .tls, .bodyUnreadable, .other: false
        }
    }

    /// A sentence saying what failed and what to check. Never contains header values or the
    /// URL's query (Gemini puts its key there).
    public var description: String {
        switch self {
        case .connectionFailed(let host, let message):
            "Could not connect to \(host): \(message). Check the URL, that the server runs, and proxy settings."
        case .connectionReset(let host, let message):
            "The connection to \(host) was reset: \(message)."
        case .truncatedResponse(let host, let message):
            "The response from \(host) ended early: \(message)."
        case .timedOut(let kind, let host, let message):
            switch kind {
            case .connect: "Connecting to \(host) timed out: \(message). Check the network and proxy settings."
            case .idle: "\(host) sent nothing for too long (idle timeout): \(message)."
            case .total: "The request to \(host) exceeded its total deadline: \(message)."
            }
        case .cancelled:
            "The HTTP transfer was cancelled."
        case .tls(let host, let message):
            "The TLS connection to \(host) failed: \(message). Check the system CA certificates and any proxy."
        case .bodyUnreadable(let path, let message):
            "Could not read the request body file \(path): \(message)."
        case .other(let code, let host, let message):
            "The HTTP transfer to \(host) failed (curl error \(code)): \(message)."
        }
    }
}
