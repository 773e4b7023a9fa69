import Dispatch

/// Runs blocking work (libgit2 calls, file walks, hashing large files) on a GCD thread instead of
/// the Swift cooperative pool, and resumes the caller when it is done.
///
/// Why: on a 2-core machine the cooperative pool has two threads. One agent committing a large
/// worktree through libgit2 would otherwise stall every other agent's streaming and tool calls,
/// and the session would run no faster than its agents added up. GCD's global queue grows extra
/// threads for blocked work, so agents stay truly parallel.
///
/// It lives in the lowest target so every layer uses the same one; an actor whose every method
/// blocks (a store that fsyncs) runs on a `BlockingSerialExecutor` instead.
public enum BlockingWork {
    private static let queue = DispatchQueue(
        label: "mg.blocking-work", qos: .userInitiated, attributes: .concurrent)

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

/// A serial executor on its own dispatch queue, for an actor whose methods block — a session
/// store that commits with `synchronous=FULL` and fsyncs every appended line.
///
/// The actor keeps what makes it safe (one method at a time, no suspension inside a write), and
/// its blocking calls run on this queue's thread rather than on the cooperative pool; callers
/// suspend while they wait. Use it as `nonisolated var unownedExecutor: UnownedSerialExecutor {
/// executor.asUnownedSerialExecutor() }`.
public final class BlockingSerialExecutor: SerialExecutor {
    private let queue: DispatchQueue

    /// An executor on a new serial queue named `label`.
    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        queue.setSpecific(key: Self.marker, value: ObjectIdentifier(self))
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// Whether the caller runs on this executor's queue (what tests check).
    public func isCurrent() -> Bool {
        DispatchQueue.getSpecific(key: Self.marker) == ObjectIdentifier(self)
    }

    private static let marker = DispatchSpecificKey<ObjectIdentifier>()
}
