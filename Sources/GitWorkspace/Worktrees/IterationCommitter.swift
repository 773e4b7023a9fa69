import Foundation

/// One answer of an agent, committed to its branch.
public struct IterationCommit: Sendable, Hashable, Codable {
    public var commit: ObjectID
    public var tree: ObjectID
    public var parent: ObjectID
    public var iteration: Int
    /// Secret-looking files that were left out (reported to the agent and the user).
    public var skippedSecrets: [String]
}

/// What committing a worktree produced.
public enum IterationOutcome: Sendable, Hashable {
    case committed(IterationCommit)
    /// Nothing changed since the branch tip: no commit was made.
    case unchanged(head: ObjectID, skippedSecrets: [String])
    /// The worktree changed protected paths (against the base): no commit was made, and those
    /// paths were restored to the base's version in the worktree (other changes are kept).
    case refused(protectedPaths: [String])
}

/// Paths an answer may not change, checked against the base tree before anything is committed.
public struct ProtectedPathCheck: Sendable {
    /// The tree the answer is compared with (the base's).
    public var baseTree: ObjectID
    /// True when a path may not differ from `baseTree`.
    public var isProtected: @Sendable (String) -> Bool

    /// Creates a check.
    public init(baseTree: ObjectID, isProtected: @escaping @Sendable (String) -> Bool) {
        self.baseTree = baseTree
        self.isProtected = isProtected
    }
}

/// Commits the whole state of an agent worktree as one commit on its branch.
///
/// Uses the worktree's own index as a stat cache, so the cost follows what changed rather than
/// the size of the repository. `.gitignore` is honoured; untracked secret-looking files are left
/// out and reported. libgit2 runs no hooks, so the user's hooks never fire for these commits.
public enum IterationCommitter {
    /// Commits everything in `worktree` with `summary` as the message plus the trailers
    /// `Mg-Session`, `Mg-Agent` and `Mg-Iteration`.
    ///
    /// With `protection`, a worktree that changed a protected path is refused before anything
    /// is committed (`.refused`), and those paths are put back as the base has them. With
    /// `allowUnchanged`, a worktree equal to the branch tip is committed anyway (same tree): an
    /// answer saying that nothing needs to change is still a commit on the agent's branch.
    public static func commit(
        _ worktree: AgentWorktree, iteration: Int, summary: String, date: Date? = nil,
        protection: ProtectedPathCheck? = nil, allowUnchanged: Bool = false
    ) throws(GitWorkspaceError) -> IterationOutcome {
        let repository = try Repository.open(at: worktree.path)
        guard case .branch(let branch, let parent) = try repository.head(), branch == worktree.branch else {
            throw .invalidArgument(
                "The worktree \(worktree.path) is not on \(worktree.branch) any more.\nHint: check it with `git -C \(worktree.path) status`.")
        }
        let staged = try repository.stageAllIntoOwnIndex(skip: SecretFilePolicy.skipUntrackedSecrets)
        if let protection {
            let touched = try repository.pathChanges(from: protection.baseTree, to: staged.tree)
                .filter { protection.isProtected($0.path) }
            if !touched.isEmpty {
                let files = WorkingTreeFiles(repository)
                for change in touched { try files.write(change.path, change.old) }
                return .refused(protectedPaths: touched.map(\.path))
            }
        }
        if !allowUnchanged, staged.tree == (try repository.tree(ofCommit: parent)) {
            return .unchanged(head: parent, skippedSecrets: staged.skipped)
        }
        let message = Self.message(summary: summary, worktree: worktree, iteration: iteration)
        let signature = Signature(name: "mg agent \(worktree.agent)", email: "\(worktree.agent)@massgen.invalid", date: date)
        let commit = try repository.createCommit(
            tree: staged.tree, parents: [parent], message: message, author: signature)
        try repository.updateReference(
            branch, to: commit, expecting: parent,
            message: "mg: iteration \(iteration) of \(worktree.agent)")
        return .committed(
            IterationCommit(
                commit: commit, tree: staged.tree, parent: parent, iteration: iteration,
                skippedSecrets: staged.skipped))
    }

    /// The commit message: the summary, a blank line, then the trailers git recognises.
    public static func message(summary: String, worktree: AgentWorktree, iteration: Int) -> String {
        var text = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = "Iteration \(iteration) of \(worktree.agent)" }
        return """
            \(text)

            Mg-Session: \(worktree.session)
            Mg-Agent: \(worktree.agent)
            Mg-Iteration: \(iteration)

            """
    }
}
