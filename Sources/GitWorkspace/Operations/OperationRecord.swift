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

        /// An update of `path`.
        public init(path: String, before: TreeEntry?, after: TreeEntry?) {
            self.path = path
            self.before = before
            self.after = after
        }

        /// The update that undoes this one.
        public var reversed: PathUpdate { PathUpdate(path: path, before: after, after: before) }
    }

    /// A file outside the repository — in a write context path — that went from `before` to
    /// `after`; `folder` is the absolute folder `update.path` is relative to. The blobs of both
    /// states are in the repository's object database.
    public struct OutsideUpdate: Sendable, Hashable, Codable {
        public var folder: String
        public var update: PathUpdate

        /// An update of `update.path` under `folder`.
        public init(folder: String, update: PathUpdate) {
            self.folder = folder
            self.update = update
        }

        /// The file's absolute path.
        public var fullPath: String { folder + "/" + update.path }
    }

    public var kind: Kind
    public var repositoryRoot: String
    public var date: Date
    public var refUpdates: [RefUpdate]
    public var fileUpdates: [PathUpdate]
    public var indexUpdates: [PathUpdate]
    /// Worktrees removed (their branches keep the work); undo re-creates them.
    public var removedWorktrees: [AgentWorktree]
    /// Files outside the repository the operation wrote (a winner's change to write context
    /// paths); `nil` in records of mg versions before context paths.
    public var outsideUpdates: [OutsideUpdate]?
    /// A one-line description for `mg undo --list`.
    public var summary: String

    public init(
        kind: Kind, repositoryRoot: String, date: Date = Date(), refUpdates: [RefUpdate] = [],
        fileUpdates: [PathUpdate] = [], indexUpdates: [PathUpdate] = [],
        removedWorktrees: [AgentWorktree] = [], outsideUpdates: [OutsideUpdate]? = nil, summary: String
    ) {
        self.outsideUpdates = outsideUpdates
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
