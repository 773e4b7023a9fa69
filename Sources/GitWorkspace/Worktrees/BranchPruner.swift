import Foundation

/// Deletes agent branches that hold nothing unmerged (`mg clean --branches`), as an operation
/// `mg undo` can put back: each ref is deleted compare-and-swap against the tip it was seen at.
public struct BranchPruner: Sendable {
    /// The repository root.
    public let repositoryRoot: String

    /// A pruner for the repository at `repositoryRoot`.
    public init(repositoryRoot: String) {
        self.repositoryRoot = repositoryRoot
    }

    /// Why a branch may go: it has no answer (it is still at its base), or its tip is already in
    /// HEAD's history; `nil` when it holds work that is not merged.
    public func prunableReason(_ branch: AgentBranch) throws(GitWorkspaceError) -> String? {
        let repository = try Repository.open(at: repositoryRoot)
        if try AgentBranches(repository: repository).iterations(of: branch).isEmpty { return "no answer" }
        if let head = try repository.head().commit, try repository.isAncestor(branch.tip, of: head) {
            return "merged into HEAD"
        }
        return nil
    }

    /// The operation that deletes `branches` (each at its current tip).
    public func plan(_ branches: [AgentBranch], summary: String) -> OperationRecord {
        OperationRecord(
            kind: .branchesDeleted, repositoryRoot: repositoryRoot,
            refUpdates: branches.map { OperationRecord.RefUpdate(name: $0.ref, old: $0.tip, new: nil) },
            summary: summary)
    }

    /// Deletes the planned refs (all or none: a ref that moved since refuses the lot).
    public func apply(_ record: OperationRecord) throws(GitWorkspaceError) {
        let applier = ChangeApplier(repository: try Repository.open(at: repositoryRoot))
        if let mismatch = try applier.verify(files: [], index: [], refs: record.refUpdates) {
            throw .invalidArgument("Nothing was deleted: \(mismatch.reason).")
        }
        try applier.apply(files: [], index: [], refs: record.refUpdates)
    }
}
