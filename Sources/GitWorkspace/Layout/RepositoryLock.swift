import Foundation

/// The per-repository lock that stops a second mg from working on the same repository at once
/// (`.massgen/lock`, an advisory `flock`; the kernel releases it when the process dies, so a
/// crash never leaves a stale lock). The file names the holder for the error message.
///
/// Taking it blocks while `wait` lets it retry (a poll every 100 ms): take it off the cooperative
/// pool (`BlockingWork`), as the orchestrator does.
public final class RepositoryLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Who holds a lock, as written in the lock file.
    public struct Holder: Sendable, Hashable, CustomStringConvertible {
        public var pid: Int32?
        public var detail: String
        public var description: String { detail }
    }

    /// Takes the lock or throws `.repositoryLocked` naming the holder (no waiting when `wait` is nil;
    /// otherwise retries until `wait` passes).
    public init(layout: ProjectLayout, purpose: String, wait: Duration? = nil) throws(GitWorkspaceError) {
        try layout.prepare()
        path = layout.root + "/lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .invalidArgument("Could not open \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = wait.map { ContinuousClock.now + $0 }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if let deadline, ContinuousClock.now < deadline {
                usleep(100_000)
                continue
            }
            let holder = Self.readHolder(descriptor)
            close(descriptor)
            throw .repositoryLocked(path: path, holder: holder.detail)
        }
        let text = "pid \(getpid()): \(purpose) since \(ISO8601DateFormatter().string(from: Date()))\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Who holds the lock of `layout` right now, without taking it; `nil` when nobody does.
    public static func currentHolder(_ layout: ProjectLayout) -> Holder? {
        let descriptor = open(layout.root + "/lock", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readHolder(descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> Holder {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self) : ""
        let detail = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = detail.hasPrefix("pid ") ? Int32(detail.dropFirst(4).prefix { $0.isNumber }) : nil
        return Holder(pid: pid, detail: detail.isEmpty ? "another mg process" : detail)
    }
}
