import Dispatch

/// Runs blocking work (libgit2 calls, file walks) on a GCD thread instead of the Swift
/// cooperative pool, and resumes the caller when it is done.
///
/// Why: on a 2-core machine the cooperative pool has two threads. One agent committing a large
/// worktree through libgit2 would otherwise stall every other agent's streaming and tool calls,
/// and the session would run no faster than its agents added up. GCD's global queue grows extra
/// threads for blocked work, so agents stay truly parallel.
public enum BlockingWork {
    private static let queue = DispatchQueue(
        label: "mg.voting.blocking-work", qos: .userInitiated, attributes: .concurrent)

    /// Runs `body` on a dedicated queue and returns its result; typed errors pass through.
    public static func run<Success: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () throws(Failure) -> Success
    ) async throws(Failure) -> Success {
        let result: Result<Success, Failure> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(Failure) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Runs non-throwing `body` on the dedicated queue.
    public static func run<Success: Sendable>(_ body: @escaping @Sendable () -> Success) async -> Success {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }
}

/// Limits how many pieces of work run at once (test commands: one per core), in FIFO order.
public actor AsyncLimiter {
    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a limiter allowing `limit` (at least 1) concurrent holders.
    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a slot is free.
    public func withSlot<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await acquire()
        let value = await body()
        release()
        return value
    }

    private func acquire() async {
        if running < limit {
            running += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the next waiter, so `running` stays the same.
            waiters.removeFirst().resume()
        }
    }
}
