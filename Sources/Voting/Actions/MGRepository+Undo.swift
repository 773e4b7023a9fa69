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
    public func undo() throws -> UndoResult {
        let lock = try RepositoryLock(layout: layout, purpose: "mg undo")
        return try withExtendedLifetime(lock) { () throws -> UndoResult in
            guard let entry = try store.lastUndoableOperation() else { return .nothing }
            let reverter = OperationReverter(repositoryRoot: root)
            let finished = entry.state == .done || entry.record.kind == .worktreesRemoved
            var outcome = OperationReverter.Outcome.reverted
            _ = try RepositoryTransaction.run(.held(lock), journal: store.undoJournal(for: entry)) {
                () throws(GitWorkspaceError) -> OperationRecord in
                outcome = finished ? try reverter.undo(entry.record) : try reverter.repair(entry.record)
                return entry.record
            }
            if outcome == .neverLanded { return .neverLanded(entry) }
            return finished ? .reverted(entry) : .repaired(entry)
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
