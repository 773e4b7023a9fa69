import Foundation

/// What one `RetryPolicy` attempt tells the policy about itself.
///
/// Call `markOutputEmitted()` as soon as anything from the response has been passed on to the
/// user or the agent loop: from then on a failure is final, because a retry would repeat or
/// contradict output that was already shown.
public final class AttemptContext: Sendable {
    /// 1 for the first attempt, 2 for the first retry, …
    public let number: Int
    private let emitted = Flag()

    /// Creates the context for attempt `number`.
    public init(number: Int) {
        self.number = number
    }

    /// Records that output from this attempt has reached the caller.
    public func markOutputEmitted() {
        emitted.set()
    }

    /// Whether `markOutputEmitted()` was called.
    public var hasEmittedOutput: Bool { emitted.value }

    /// A thread-safe boolean that can only be raised.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false

        func set() { lock.withLock { raised = true } }
        var value: Bool { lock.withLock { raised } }
    }
}
