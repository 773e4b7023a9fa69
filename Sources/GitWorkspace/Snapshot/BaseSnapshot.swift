import Foundation

/// The user's exact working state at the start of a session, as a commit agents start from.
public struct BaseSnapshot: Sendable, Hashable, Codable {
    /// The commit agents start from: HEAD itself when the tree was clean, otherwise a new commit
    /// (parent: HEAD) holding HEAD + staged + unstaged + untracked-not-ignored files.
    public var commit: ObjectID
    /// Its tree.
    public var tree: ObjectID
    /// The branch merge-back targets (`refs/heads/x`, or `HEAD` when detached).
    public var targetRef: String
    /// What `targetRef` pointed at when the session started (`nil`: unborn branch).
    public var headCommit: ObjectID?
    /// True when HEAD was detached.
    public var isDetached: Bool
    /// Secret-looking untracked files left out of the snapshot (reported, never committed).
    public var skippedSecrets: [String]

    /// A snapshot from recorded values (the session store, or `AgentBranches.reconstructBase`).
    public init(
        commit: ObjectID, tree: ObjectID, targetRef: String, headCommit: ObjectID?, isDetached: Bool,
        skippedSecrets: [String]
    ) {
        self.commit = commit
        self.tree = tree
        self.targetRef = targetRef
        self.headCommit = headCommit
        self.isDetached = isDetached
        self.skippedSecrets = skippedSecrets
    }

    /// The snapshot a recorded base commit stands for, landing on the current branch: an mg
    /// base snapshot commit (it carries `Mg-Session` but no `Mg-Agent`) held uncommitted work
    /// on top of its parent, the HEAD of then; any other commit was HEAD itself.
    public static func recorded(_ commit: ObjectID, repositoryRoot: String) throws(GitWorkspaceError) -> BaseSnapshot {
        let repository = try Repository.open(at: repositoryRoot)
        let info = try repository.commit(commit)
        let trailers = AgentBranches.trailers(info.message)
        let isSnapshot = trailers["Mg-Session"] != nil && trailers["Mg-Agent"] == nil
        let head = try repository.head()
        var isDetached = false
        if case .detached = head { isDetached = true }
        return BaseSnapshot(
            commit: commit, tree: info.tree, targetRef: head.targetRef,
            headCommit: isSnapshot ? info.parents.first : commit, isDetached: isDetached, skippedSecrets: [])
    }

    /// True when the user's working state equalled HEAD (nothing uncommitted).
    public var isClean: Bool { headCommit == commit }

    /// Records the working state of the repository at `repositoryPath` without modifying the
    /// user's index, working tree, HEAD, branches or stash: staging happens in a private copy of
    /// the index, and the snapshot commit is referenced by no ref of the user's.
    public static func capture(repositoryPath: String, session: String) throws(GitWorkspaceError) -> BaseSnapshot {
        // A dedicated handle: staging swaps this handle's index for a private copy.
        let repository = try Repository.discover(from: repositoryPath, honourEnvironment: false)
        if let (name, hint) = repository.operationInProgress() { throw .operationInProgress(name: name, hint: hint) }
        let head = try repository.head()
        let staged = try repository.stageAllIntoPrivateIndex(skip: SecretFilePolicy.skipUntrackedSecrets)
        let headTree = try head.commit.map { id throws(GitWorkspaceError) in try repository.tree(ofCommit: id) }
        let isDetached: Bool
        if case .detached = head { isDetached = true } else { isDetached = false }

        if let headCommit = head.commit, headTree == staged.tree {
            return BaseSnapshot(
                commit: headCommit, tree: staged.tree, targetRef: head.targetRef, headCommit: headCommit,
                isDetached: isDetached, skippedSecrets: staged.skipped)
        }
        let message = """
            mg: base snapshot for session \(session)

            The working state (HEAD + staged + unstaged + untracked files) the agents start from.

            Mg-Session: \(session)
            """
        let commit = try repository.createCommit(
            tree: staged.tree, parents: head.commit.map { [$0] } ?? [], message: message + "\n",
            author: Signature(name: "mg", email: "mg@massgen.invalid"))
        return BaseSnapshot(
            commit: commit, tree: staged.tree, targetRef: head.targetRef, headCommit: head.commit,
            isDetached: isDetached, skippedSecrets: staged.skipped)
    }
}
