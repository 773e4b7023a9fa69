import Foundation

/// Where a transaction writes ahead what it is about to do (the session store's operation log
/// implements it): every step may throw, and a throwing `begin` means nothing may be applied.
public struct TransactionJournal: Sendable {
    /// Writes the intent before anything changes.
    public var begin: @Sendable () throws -> Void
    /// The change landed (with its final record, e.g. the worktrees actually removed).
    public var commit: @Sendable (OperationRecord) throws -> Void
    /// Nothing landed (refused, or rolled back completely): the intent is withdrawn.
    public var discard: @Sendable () throws -> Void
    /// Rolling back failed: the intent stays, marked with what is left to repair.
    public var rollbackFailed: @Sendable (String) throws -> Void

    /// A journal of four steps.
    public init(
        begin: @escaping @Sendable () throws -> Void, commit: @escaping @Sendable (OperationRecord) throws -> Void,
        discard: @escaping @Sendable () throws -> Void, rollbackFailed: @escaping @Sendable (String) throws -> Void
    ) {
        self.begin = begin
        self.commit = commit
        self.discard = discard
        self.rollbackFailed = rollbackFailed
    }

    /// A journal that keeps nothing (library callers without a session store, tests of git steps).
    public static let none = TransactionJournal(begin: {}, commit: { _ in }, discard: {}, rollbackFailed: { _ in })
}

/// One mutation of the user's repository or of mg's refs and worktrees — a merge (automatic
/// or by hand), an undo, a clean, an interrupted session's clean-up — as jj's
/// `start_transaction` … `finish` does it: the repository lock is held for the whole scope,
/// the journal is written before anything is touched (and when it cannot be, nothing is), and
/// the change then either commits or is rolled back, both explicitly. A rollback that fails
/// leaves the journal entry in place, marked, so `mg status` reports it and `mg undo` repairs it.
public enum RepositoryTransaction {
    /// How the transaction holds the repository lock.
    public enum Lock: Sendable {
        /// Take it for this transaction (`purpose` names the holder; `wait` as `RepositoryLock`).
        case acquire(layout: ProjectLayout, purpose: String, wait: Duration?)
        /// The caller already holds it (a session holds it from start to finish).
        case held(RepositoryLock)
    }

    /// Runs `apply` under the lock with `journal` written ahead. `apply` returns the final
    /// record to commit; it must leave the repository as it found it when it throws (or throw
    /// `.rollbackFailed` saying what it could not put back).
    public static func run(
        _ lock: Lock, journal: TransactionJournal, apply: () throws(GitWorkspaceError) -> OperationRecord
    ) throws(GitWorkspaceError) -> OperationRecord {
        let held: RepositoryLock
        switch lock {
        case .acquire(let layout, let purpose, let wait):
            held = try RepositoryLock(layout: layout, purpose: purpose, wait: wait)
        case .held(let lock):
            held = lock
        }
        return try withExtendedLifetime(held) { () throws(GitWorkspaceError) -> OperationRecord in
            do {
                try FaultPoint.failIfArmed("journal-begin")
                try journal.begin()
            } catch {
                throw .journalUnavailable(reason: "\(error)")
            }
            FaultPoint.hit("after-journal-begin")
            let record: OperationRecord
            do throws(GitWorkspaceError) {
                record = try apply()
            } catch {
                if case .rollbackFailed(let problem, let paths) = error {
                    do {
                        try journal.rollbackFailed(problem)
                    } catch let markError {
                        throw .rollbackFailed(
                            problem: problem + "; the operation log could not mark it either (\(markError))", paths: paths)
                    }
                } else {
                    // Nothing landed. If withdrawing the intent fails, it stays logged as planned:
                    // `mg undo` sees everything still as before and only marks it.
                    try? journal.discard()
                }
                throw error
            }
            do {
                try journal.commit(record)
            } catch {
                // The change landed; its intent (with the before-states) stays logged for undo.
                throw .journalUnavailable(
                    reason: "the change landed, but its completion could not be logged: \(error)")
            }
            return record
        }
    }
}
