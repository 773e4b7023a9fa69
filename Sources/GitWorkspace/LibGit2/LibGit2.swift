import CLibGit2
import Foundation

/// Process-wide libgit2 set-up and the one place return codes become `GitWorkspaceError`s.
///
/// libgit2 keeps its last error in thread-local storage, so `check` must run on the thread
/// that made the call, immediately after it (libgit2 docs/threading.md).
enum LibGit2 {
    /// `git_libgit2_init` exactly once; Swift runs a static `let` initializer once, thread-safely.
    private static let initialized: Int32 = {
        let rc = git_libgit2_init()
        // Ownership checks stay on (the safe.directory rule); mg turns GIT_EOWNER into a readable error.
        return rc
    }()

    /// Initialises libgit2 if needed. Call before any other libgit2 function.
    static func ensureInitialized() {
        _ = initialized
    }

    /// Throws the typed error for a negative libgit2 return code.
    @discardableResult
    static func check(_ rc: Int32, _ operation: @autoclosure () -> String, path: String? = nil) throws(GitWorkspaceError) -> Int32 {
        guard rc < 0 else { return rc }
        throw error(rc, operation(), path: path)
    }

    /// The typed error for libgit2 return code `rc`, reading libgit2's thread-local message now.
    static func error(_ rc: Int32, _ operation: String, path: String? = nil) -> GitWorkspaceError {
        var message = "unknown error"
        if let last = git_error_last(), let text = last.pointee.message {
            message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        switch rc {
        case GIT_EOWNER.rawValue:
            return .notOwnedByCurrentUser(path: path ?? message)
        case GIT_ELOCKED.rawValue:
            return .locked(path: lockPath(in: message) ?? path ?? "", message: "A git lock file is held: \(message)")
        case GIT_EMODIFIED.rawValue:
            return .referenceMoved(name: operation, expected: "the recorded value", actual: message)
        default:
            return .libgit2(operation: operation, code: rc, message: message)
        }
    }

    /// libgit2 names the lock file in its message ("failed to lock file '/x/.git/index.lock'...").
    private static func lockPath(in message: String) -> String? {
        guard let start = message.firstIndex(of: "'") else { return nil }
        let rest = message[message.index(after: start)...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end])
    }

    /// Turns a libgit2 `git_strarray` into Swift strings and frees it.
    static func strings(_ array: inout git_strarray) -> [String] {
        defer { git_strarray_dispose(&array) }
        guard let items = array.strings else { return [] }
        return (0..<array.count).compactMap { items[$0].map { String(cString: $0) } }
    }

    /// Calls `body` with a `git_strarray` view of `values` valid for the call's duration.
    static func withStrArray<R>(_ values: [String], _ body: (inout git_strarray) throws -> R) rethrows -> R {
        var cStrings: [UnsafeMutablePointer<CChar>?] = values.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        return try cStrings.withUnsafeMutableBufferPointer { buffer in
            var array = git_strarray(strings: buffer.baseAddress, count: values.count)
            return try body(&array)
        }
    }
}
