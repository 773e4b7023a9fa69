import Foundation
import Synchronization

/// What one `RetryPolicy` attempt tells the policy about itself.
///
/// Call `markOutputEmitted()` as soon as anything from the response has been passed on to the
/// user or the agent loop: from then on a failure is final, because a retry would repeat or
/// contradict output that was already shown.
public final class AttemptContext: Sendable {
    /// 1 for the first attempt, 2 for the first retry, …
    public let number: Int
    /// Raised once, never lowered.
    private let emitted = Mutex(false)

    /// Creates the context for attempt `number`.
    public init(number: Int) {
        self.number = number
    }

    /// Records that output from this attempt has reached the caller.
    public func markOutputEmitted() {
        emitted.withLock { $0 = true }
    }

    /// Whether `markOutputEmitted()` was called.
    public var hasEmittedOutput: Bool { emitted.withLock { $0 } }
}
