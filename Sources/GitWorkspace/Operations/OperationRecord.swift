import Foundation

/// Everything one mg operation changed in the user's repository, so `mg undo` can replay it
/// backwards. Codable for the session store.
public struct OperationRecord: Sendable, Hashable, Codable {
    /// What kind of operation this was.
    public enum Kind: Sendable, Hashable, Codable {
        case merge(MergeMode)
        case worktreesRemoved
        /// Agent branches deleted by `mg clean --branches` (their refs, for undo).
        case branchesDeleted
    }

    /// A ref moved from `old` to `new` (`nil`: did not exist / was deleted).
    public struct RefUpdate: Sendable, Hashable, Codable {
        public var name: String
        public var old: ObjectID?
        public var new: ObjectID?
    }

    /// A working-tree or index path that went from `before` to `after` (`nil`: absent).
    public struct PathUpdate: Sendable, Hashable, Codable {
        public var path: String
        public var before: TreeEntry?
        public var after: TreeEntry?
    }

    public var kind: Kind
    public var repositoryRoot: String
    public var date: Date
    public var refUpdates: [RefUpdate]
    public var fileUpdates: [PathUpdate]
    public var indexUpdates: [PathUpdate]
    /// Worktrees removed (their branches keep the work); undo re-creates them.
    public var removedWorktrees: [AgentWorktree]
    /// A one-line description for `mg undo --list`.
    public var summary: String

    public init(
        kind: Kind, repositoryRoot: String, date: Date = Date(), refUpdates: [RefUpdate] = [],
        fileUpdates: [PathUpdate] = [], indexUpdates: [PathUpdate] = [],
        removedWorktrees: [AgentWorktree] = [], summary: String
    ) {
        self.kind = kind
        self.repositoryRoot = repositoryRoot
        self.date = date
        self.refUpdates = refUpdates
        self.fileUpdates = fileUpdates
        self.indexUpdates = indexUpdates
        self.removedWorktrees = removedWorktrees
        self.summary = summary
    }
}
