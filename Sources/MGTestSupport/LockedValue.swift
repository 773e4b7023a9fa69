import Foundation

/// A value guarded by a lock, shared between the server's socket threads and the test.
///
/// `Synchronization.Mutex` would do, but it needs macOS 15 and the package targets macOS 14.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSCondition()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access and wakes anyone waiting in `wait(until:timeout:)`.
    @discardableResult
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer {
            lock.broadcast()
            lock.unlock()
        }
        return try body(&value)
    }

    /// Blocks the calling thread until `condition` holds or `timeout` passes; returns whether it held.
    func wait(until condition: (Value) -> Bool, timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        lock.lock()
        defer { lock.unlock() }
        while !condition(value) {
            if !lock.wait(until: deadline) {
                return condition(value)
            }
        }
        return true
    }
}
