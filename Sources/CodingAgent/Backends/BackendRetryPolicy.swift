import Foundation

/// How a backend retries a failed attempt: exponential backoff with full jitter, at least as
/// long as the server's `Retry-After`, capped, and a bounded number of attempts.
public struct BackendRetryPolicy: Sendable {
    /// Attempts in total, the first included.
    public var maxAttempts: Int
    /// The backoff before the second attempt; doubled for each further one.
    public var baseDelay: Duration
    /// No wait is longer than this, `Retry-After` included.
    public var maxDelay: Duration
    /// Waits between attempts; tests pass an instant sleeper.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// Creates a policy; the defaults make 4 attempts over roughly 0.5 + 1 + 2 seconds.
    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(60),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        // Full jitter between half and all of the ceiling spreads out agents that failed together.
        let jittered = ceiling * Double.random(in: 0.5...1.0)
        return min(max(jittered, retryAfter ?? .zero), maxDelay)
    }

    /// `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, from lowercased headers.
    public static func retryAfter(from headers: [String: String], now: Date = Date()) -> Duration? {
        if let milliseconds = headers["retry-after-ms"].flatMap(Double.init), milliseconds >= 0 {
            return .milliseconds(Int64(milliseconds))
        }
        guard let value = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}

/// Turns an HTTP error status and body into a `BackendError` carrying the provider's own words.
enum HTTPErrorMapping {
    static func error(status: Int, body: String, provider: String, keyVariable: String?, secrets: [String]) -> BackendError {
        var message = UnknownToolDetector.errorMessage(body).trimmingCharacters(in: .whitespacesAndNewlines)
        if message.isEmpty { message = "no details given" }
        message = String(message.prefix(500))
        // Some servers echo the key they refused; it must not reach logs or the terminal.
        for secret in secrets where secret.count >= 4 {
            message = message.replacingOccurrences(of: secret, with: APIKeyMask.mask(secret))
            if secret.hasPrefix("Bearer ") {
                let bare = String(secret.dropFirst(7))
                message = message.replacingOccurrences(of: bare, with: APIKeyMask.mask(bare))
            }
        }
        switch status {
        case 401, 403: return .unauthorized(provider: provider, status: status, message: message, keyVariable: keyVariable)
        case 429: return .quotaExceeded(provider: provider, message: message)
        case 500...599: return .serverError(provider: provider, status: status, message: message)
        default: return .badRequest(provider: provider, status: status, message: message)
        }
    }
}
