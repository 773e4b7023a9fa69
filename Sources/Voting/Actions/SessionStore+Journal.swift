import Foundation
import GitWorkspace
import Synchronization

extension SessionStore {
    /// The journal of a new operation: `begin` logs `record` as planned, `commit` stores the
    /// final record as done, `discard` removes it, `rollbackFailed` keeps it marked with the
    /// problem. `logged` receives the entry's id once it exists.
    public func journal(
        for record: OperationRecord, session: String?, turn: Int? = nil, logged: (@Sendable (Int64) -> Void)? = nil
    ) -> TransactionJournal {
        let id = Mutex<Int64?>(nil)
        let store = self
        return TransactionJournal(
            begin: {
                let entry = try store.recordOperation(record, session: session, turn: turn, state: .planned)
                id.withLock { $0 = entry }
                logged?(entry)
            },
            commit: { final in
                guard let entry = id.withLock({ $0 }) else { return }
                try store.updateOperation(entry, record: final, state: .done)
            },
            discard: {
                guard let entry = id.withLock({ $0 }) else { return }
                try store.discardOperation(entry)
            },
            rollbackFailed: { problem in
                guard let entry = id.withLock({ $0 }) else { return }
                try store.setOperationState(entry, .rollbackFailed, problem: problem)
            })
    }

    /// The journal of undoing `entry`: `begin` marks it `undoing`, `commit` marks it undone,
    /// `discard` puts its state back, `rollbackFailed` marks it for repair.
    public func undoJournal(for entry: OperationLogEntry) -> TransactionJournal {
        let store = self
        return TransactionJournal(
            begin: { try store.setOperationState(entry.id, .undoing) },
            commit: { _ in
                try store.markOperationUndone(entry.id)
                try store.setOperationState(entry.id, .done)
            },
            discard: { try store.setOperationState(entry.id, entry.state, problem: entry.problem) },
            rollbackFailed: { problem in try store.setOperationState(entry.id, .rollbackFailed, problem: problem) })
    }

    /// Operations that did not finish cleanly: rolled back only in part, or left planned or
    /// undoing by an mg that died (reported by `mg status`; `mg undo` repairs them).
    public func unfinishedOperations() throws(SessionStoreError) -> [OperationLogEntry] {
        try operations(includeUndone: false).filter { $0.state != .done }
    }
}
