import Foundation

/// Retries a request with exponential backoff and full jitter, honouring `Retry-After`.
///
/// ```swift
/// let stream = try await policy.run { attempt in
///     let response = try await transport.send(request, limits: limits)
///     guard response.status == 200 else { throw try await HTTPStatusError(response: response) }
///     for try await event in response.body.sseEvents {
///         attempt.markOutputEmitted()   // from here on a failure is final
///         emit(event)
///     }
/// }
/// ```
///
/// An attempt's error is retried when it is `retryable` (see `isRetryable(_:)`: HTTP 429/500/502/
/// 503/504, refused, reset or cut-off connections, or any `RetryableError` that says so), the
/// attempt has not marked output as emitted, and attempts remain. The wait before attempt `n+1`
/// is the server's `Retry-After` when given, otherwise a uniformly random duration in
/// `0 ... min(maxDelay, baseDelay * factor^(n-1))` ("full jitter", which spreads retries of many
/// agents apart). A `Retry-After` longer than `maxRetryAfter` ends the retries at once: better to
/// report the rate limit than to hang for an hour.
public struct RetryPolicy: Sendable {
    /// Total attempts, the first included (default 4: one try and three retries).
    public var maxAttempts: Int
    /// Upper bound of the first backoff.
    public var baseDelay: Duration
    /// Growth of the backoff bound per attempt.
    public var factor: Double
    /// Cap on the backoff bound.
    public var maxDelay: Duration
    /// Longest server-requested wait that is honoured; longer ones make the error final.
    public var maxRetryAfter: Duration
    /// Waits between attempts (injectable so tests run instantly).
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A uniform random number in `0..<1` for jitter (injectable for tests).
    public var random: @Sendable () -> Double
    /// The current time, for `Retry-After` dates (injectable for tests).
    public var now: @Sendable () -> Date
    /// Called before each wait, e.g. to tell the user "rate limited, retrying in 2 s".
    public var onRetry: @Sendable (RetryEvent) -> Void

    /// Creates a policy; the defaults suit model providers.
    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), factor: Double = 2,
        maxDelay: Duration = .seconds(30), maxRetryAfter: Duration = .seconds(120),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        now: @escaping @Sendable () -> Date = { Date() },
        onRetry: @escaping @Sendable (RetryEvent) -> Void = { _ in }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.factor = factor
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.sleep = sleep
        self.random = random
        self.now = now
        self.onRetry = onRetry
    }

    /// Runs `attempt` until it succeeds or its error is final; rethrows the last error unchanged.
    public func run<T>(_ attempt: (AttemptContext) async throws -> T) async throws -> T {
        var number = 1
        while true {
            let context = AttemptContext(number: number)
            do {
                return try await attempt(context)
            } catch {
                guard let delay = delayBeforeRetry(after: error, attempt: number, context: context) else { throw error }
                onRetry(RetryEvent(attempt: number, delay: delay, error: String(describing: error)))
                try await sleep(delay)
                try Task.checkCancellation()
                number += 1
            }
        }
    }

    /// The wait before retrying `error` from attempt `number`, or nil when the error is final.
    func delayBeforeRetry(after error: any Error, attempt number: Int, context: AttemptContext) -> Duration? {
        guard number < maxAttempts, !context.hasEmittedOutput, !Task.isCancelled, Self.isRetryable(error) else {
            return nil
        }
        if let requested = Self.serverDelay(of: error, now: now()) {
            return requested <= maxRetryAfter ? requested : nil
        }
        return backoff(attempt: number)
    }

    /// The full-jitter backoff after attempt `number` (1-based).
    public func backoff(attempt number: Int) -> Duration {
        let bound = min(maxDelay, baseDelay * pow(factor, Double(number - 1)))
        return bound * min(max(random(), 0), 1)
    }

    /// Whether `error` is worth another attempt (ignoring the output-emitted rule).
    public static func isRetryable(_ error: any Error) -> Bool {
        switch error {
        case let status as HTTPStatusError: status.isRetryable
        case let transport as TransportError: transport.isRetryable
        case let custom as any RetryableError: custom.isRetryable
        default: false
        }
    }

    private static func serverDelay(of error: any Error, now: Date) -> Duration? {
        switch error {
        case let status as HTTPStatusError: status.retryAfter(now: now)
        case let custom as any RetryableError: custom.retryAfter
        default: nil
        }
    }
}

/// An error type that tells `RetryPolicy` itself whether to retry (e.g. a backend's "the model
/// invented a tool name" error).
public protocol RetryableError: Error {
    /// Whether another attempt may succeed.
    var isRetryable: Bool { get }
    /// A wait the error asks for, if any.
    var retryAfter: Duration? { get }
}

/// A retry about to happen, for progress messages.
public struct RetryEvent: Sendable, Hashable {
    /// The attempt that failed (1-based).
    public var attempt: Int
    /// The wait before the next attempt.
    public var delay: Duration
    /// What went wrong, already safe to show (errors never carry secrets).
    public var error: String
}
