import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Named places where crash tests can kill mg with SIGKILL, to prove every state change is on
/// disk before the action it describes.
///
/// `MG_FAULT_POINT` is read once per process. It holds one or more comma-separated specs:
/// `NAME` kills at the first hit of `NAME`; `NAME#K` at its K-th hit. Without the variable,
/// `hit(_:)` costs one dictionary-free comparison against `nil`.
///
/// The session store hits `after-session-begin`, `after-turn-begin`, `after-agent-record`,
/// `after-iteration-record`, `after-vote-record`, `after-test-record`,
/// `after-similarity-record`, `after-usage-record`, `after-operation-record`,
/// `after-operation-undone`, `after-conversation-record`, `after-turn-finish` and
/// `after-session-finish`, each right after its transaction commits. Other layers add their own
/// names (e.g. `after-iteration-commit` once the git commit exists).
public enum FaultPoint {
    /// One parsed `NAME` or `NAME#K`.
    public struct Spec: Sendable, Hashable {
        /// The fault point's name.
        public var name: String
        /// Which hit (1-based) kills.
        public var occurrence: Int
    }

    /// Parses an `MG_FAULT_POINT` value; malformed parts are ignored (a crash test that
    /// misspells a spec then fails by not crashing, which it notices).
    public static func parse(_ value: String?) -> [Spec] {
        guard let value else { return [] }
        return value.split(separator: ",").compactMap { part -> Spec? in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            let pieces = trimmed.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            if pieces.count == 2 {
                guard let k = Int(pieces[1]), k >= 1, !pieces[0].isEmpty else { return nil }
                return Spec(name: pieces[0], occurrence: k)
            }
            return Spec(name: trimmed, occurrence: 1)
        }
    }

    /// Whether the `count`-th hit (1-based) of `name` matches any of `specs`.
    public static func matches(name: String, count: Int, specs: [Spec]) -> Bool {
        specs.contains { $0.name == name && $0.occurrence == count }
    }

    /// Counts hits of `name` and kills this process with SIGKILL when a spec matches.
    public static func hit(_ name: String) {
        guard !armed.isEmpty else { return }
        if shouldKill(name) {
            kill(getpid(), SIGKILL)
        }
    }

    /// Counts hits of `fail:NAME` and throws when a spec matches: the step named `NAME` fails
    /// as if its disk or libgit2 call had (fault-injection tests of rollbacks and journals).
    public static func failIfArmed(_ name: String) throws(GitWorkspaceError) {
        guard !armed.isEmpty, shouldKill("fail:" + name) else { return }
        throw .invalidArgument("Injected failure at \(name) (MG_FAULT_POINT).")
    }

    /// Counts a hit and reports whether it matches, without killing (what `hit` decides on).
    static func shouldKill(_ name: String, specs: [Spec] = armed, counter: HitCounter = .shared) -> Bool {
        guard specs.contains(where: { $0.name == name }) else { return false }
        return matches(name: name, count: counter.increment(name), specs: specs)
    }

    private static let armed: [Spec] = parse(ProcessInfo.processInfo.environment["MG_FAULT_POINT"])

    /// Per-name hit counts, shared by the process.
    final class HitCounter: Sendable {
        static let shared = HitCounter()
        private let counts = Mutex<[String: Int]>([:])

        /// Increments and returns the count for `name`.
        func increment(_ name: String) -> Int {
            counts.withLock { counts in
                counts[name, default: 0] += 1
                return counts[name, default: 0]
            }
        }
    }
}
