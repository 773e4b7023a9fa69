import Foundation

/// Resets an agent's worktree to the files of another commit, git-natively and losslessly:
/// unfinished work is committed to the agent's branch first, then a new commit with the target's
/// tree goes on top, and the working files change to match. The two steps are separate so the
/// session store can record the plan before anything visible moves.
///
/// Synchronous libgit2 work: call it through `BlockingWork`.
public enum WorktreeReset {
    /// What `apply` will do.
    public struct Plan: Sendable, Hashable {
        /// The commit holding the agent's unfinished work, if it had any.
        public var savedWork: ObjectID?
        /// The branch tip before the reset.
        public var oldTip: ObjectID
        /// The new tip (target's tree, parent `oldTip`), already written as an object.
        public var newTip: ObjectID
        /// Paths whose content changes.
        public var changes: [PathChange]

        /// A plan; `oldTip == newTip` only rewrites the files (the branch stays).
        public init(savedWork: ObjectID?, oldTip: ObjectID, newTip: ObjectID, changes: [PathChange]) {
            self.savedWork = savedWork
            self.oldTip = oldTip
            self.newTip = newTip
            self.changes = changes
        }
    }

    /// Saves unfinished work, writes the new tip commit (no ref moves yet) and lists the file changes.
    public static func plan(
        _ worktree: AgentWorktree, to target: ObjectID, message: String, savedWorkSummary: String
    ) throws(GitWorkspaceError) -> Plan {
        var savedWork: ObjectID?
        if case .committed(let commit) = try IterationCommitter.commit(
            worktree, iteration: 0, summary: savedWorkSummary)
        {
            savedWork = commit.commit
        }
        let repository = try Repository.open(at: worktree.path)
        guard case .branch(_, let tip) = try repository.head() else {
            throw .invalidArgument("The worktree \(worktree.path) is not on its branch \(worktree.branch).")
        }
        let currentTree = try repository.tree(ofCommit: tip)
        let targetTree = try repository.tree(ofCommit: target)
        let author = Signature(name: "mg agent \(worktree.agent)", email: "\(worktree.agent)@massgen.invalid")
        let newTip = try repository.createCommit(
            tree: targetTree, parents: [tip], message: message, author: author)
        let changes = try repository.pathChanges(from: currentTree, to: targetTree)
        return Plan(savedWork: savedWork, oldTip: tip, newTip: newTip, changes: changes)
    }

    /// Moves the branch (compare-and-swap) and rewrites the changed files (`WorkingTreeFiles`:
    /// checkout filters, links, modes; folders left empty removed).
    public static func apply(_ plan: Plan, in worktree: AgentWorktree) throws(GitWorkspaceError) {
        let repository = try Repository.open(at: worktree.path)
        try repository.updateReference(
            worktree.branch, to: plan.newTip, expecting: plan.oldTip,
            message: "mg: \(worktree.agent) adopts another answer")
        let files = WorkingTreeFiles(repository)
        for change in plan.changes { try files.write(change.path, change.new) }
    }
}
