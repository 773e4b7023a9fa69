import Foundation
import GitWorkspace

/// What `undo` did.
public enum UndoResult: Sendable {
    /// No operation is left to undo.
    case nothing
    /// The operation was reverted.
    case reverted(OperationLogEntry)
    /// Its effects were not there (it never landed, or was reverted by hand): nothing was
    /// changed, and it is marked undone so the next undo goes further back.
    case neverLanded(OperationLogEntry)
    /// It had failed half-way (or mg died during it): what it left behind was put back.
    case repaired(OperationLogEntry)
}

extension MGRepository {
    /// Reverts the newest operation not yet undone (`mg undo`, chat's `/undo`) in one
    /// transaction. One that landed is reverted exactly, refusing if anything it wrote changed
    /// since; one that did not finish (rolled back only in part, or interrupted) is repaired:
    /// whatever still holds its change gets its earlier state back.
    public func undo(operation id: Int64? = nil) throws -> UndoResult {
        let lock = try RepositoryLock(layout: layout, purpose: "mg undo")
        return try withExtendedLifetime(lock) { () throws -> UndoResult in
            let pending = try store.operations(includeUndone: false)
            guard let entry = id.map({ id in pending.first { $0.id == id } }) ?? pending.first else {
                if let id { throw UndoRefusal.unknown(id: id) }
                return .nothing
            }
            let reverter = OperationReverter(repositoryRoot: root)
            let finished = entry.state == .done || entry.record.kind == .worktreesRemoved
            var outcome = OperationReverter.Outcome.reverted
            do {
                _ = try RepositoryTransaction.run(.held(lock), journal: store.undoJournal(for: entry)) {
                    () throws(GitWorkspaceError) -> OperationRecord in
                    outcome = finished ? try reverter.undo(entry.record) : try reverter.repair(entry.record)
                    return entry.record
                }
            } catch GitWorkspaceError.undoRefused(let reason) {
                throw UndoRefusal.changedSince(id: entry.id, reason: reason, newest: entry.id == pending.first?.id)
            }
            if outcome == .neverLanded { return .neverLanded(entry) }
            return finished ? .reverted(entry) : .repaired(entry)
        }
    }

    /// Leaves the newest operation as it is and marks it skipped, so the next `mg undo` goes
    /// further back (when you changed what it wrote and want an older one undone).
    public func skip() throws -> OperationLogEntry? {
        let lock = try RepositoryLock(layout: layout, purpose: "mg undo --skip")
        return try withExtendedLifetime(lock) { () throws -> OperationLogEntry? in
            guard let entry = try store.lastUndoableOperation() else { return nil }
            try store.markOperationUndone(entry.id)
            try store.setOperationState(entry.id, .skipped)
            return entry
        }
    }

    /// What `mg undo --list` shows: the operations `mg undo` may revert, newest first, and
    /// where the repository stands against the newest (what `mg undo` would do with it).
    public func undoList() throws -> (entries: [OperationLogEntry], next: OperationReverter.Standing?) {
        let entries = try store.operations(includeUndone: false)
        guard let first = entries.first else { return (entries, nil) }
        return (entries, try OperationReverter(repositoryRoot: root).standing(of: first.record))
    }
}
