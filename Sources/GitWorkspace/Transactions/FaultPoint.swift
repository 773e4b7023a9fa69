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
/// Kill points (`hit`):
/// - the session store, right after a write transaction commits — sessions and turns:
///   `after-session-begin`, `after-session-resume`, `after-session-finish`,
///   `after-session-discard`, `after-session-interrupted`, `after-turn-begin`, `after-turn-finish`;
///   a turn's facts: `after-agent-record`, `after-agent-failures`, `after-iteration-record`,
///   `after-iteration-stats`, `after-vote-record`, `after-test-record`, `after-similarity-record`,
///   `after-usage-record`, `after-conversation-record`, `after-ballot-seed`, `after-ballot-order`,
///   `after-decision`, `after-ranking-record`; merges and undo: `after-merge-note`,
///   `after-merge-landed`, `after-operation-record`, `after-operation-update`,
///   `after-operation-state`, `after-operation-discarded`, `after-operation-undone`; reviews:
///   `after-review-begin`, `after-finding-record`, `after-review-finish`;
/// - transactions: `after-journal-begin`, `after-apply-files`, `after-worktree-removed`.
///
/// Failure points (`failIfArmed`, armed as `fail:NAME`): `journal-begin`, `apply-file`,
/// `apply-ref`, `rollback-file`.
///
/// `FaultPointCatalogTests` keeps these lists equal to the names the code uses.
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
