import Foundation

/// How the winner's change lands in the user's repository.
public enum MergeMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// One new commit on the current branch with the whole change.
    case squash
    /// The change written into the working tree as uncommitted changes; index untouched.
    case apply
    /// A merge commit joining the current branch and the winner's branch.
    case noFF = "no-ff"
    /// Nothing lands; the winner stays on its branch.
    case none

    /// The default: `squash` when the user's state equalled the base, else `apply` (so their
    /// uncommitted changes stay uncommitted).
    public static func defaultMode(for base: BaseSnapshot) -> MergeMode {
        base.isClean ? .squash : .apply
    }
}

/// Lands a winning commit in the user's repository, safely.
///
/// Every ref update is a compare-and-swap against the value recorded at session start; files
/// the change touches must still be as they were in the base. Otherwise the merge is refused
/// with a hint, and the user's tree, index and branches stay byte-identical. Files the change
/// does not touch are never written.
public struct MergeBack: Sendable {
    public let repositoryRoot: String

    public init(repositoryRoot: String) {
        self.repositoryRoot = repositoryRoot
    }

    /// The message of every merge-back commit, automatic or by hand: the answer's summary, how
    /// it was merged, and one trailer set (`Mg-Session`, `Mg-Agent`, `Mg-Merged-By`).
    public static func commitMessage(summary: String, session: String, agent: String, via command: String) -> String {
        var text = summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { text = "The answer of \(agent) in mg session \(session)" }
        return text + "\n\nMg-Session: \(session)\nMg-Agent: \(agent)\nMg-Merged-By: \(command)\n"
    }

    /// Merges `winner` (a commit descending from `base.commit`, on `winnerBranch`) with `mode`:
    /// `plan`, then `apply`. Returns the operation record (`nil` for `.none` or an empty change).
    public func merge(
        winner: ObjectID, winnerBranch: String, base: BaseSnapshot, mode: MergeMode, message: String,
        author: Signature? = nil
    ) throws(GitWorkspaceError) -> OperationRecord? {
        guard
            let record = try plan(
                winner: winner, winnerBranch: winnerBranch, base: base, mode: mode, message: message, author: author)
        else { return nil }
        try apply(record, winnerBranch: winnerBranch, base: base)
        return record
    }

    /// Everything short of changing the user's repository: the checks (HEAD where the session
    /// started, no conflict, touched files as in the base), the squash or merge commit object
    /// (unreferenced until `apply`), and the operation record `apply` will carry out — so the
    /// record can be logged *before* anything changes. `nil` for `.none` or an empty change.
    public func plan(
        winner: ObjectID, winnerBranch: String, base: BaseSnapshot, mode: MergeMode, message: String,
        author: Signature? = nil
    ) throws(GitWorkspaceError) -> OperationRecord? {
        guard mode != .none else { return nil }
        let repository = try Repository.open(at: repositoryRoot)
        if let (name, hint) = repository.operationInProgress() { throw .operationInProgress(name: name, hint: hint) }
        let shortBranch = Self.shortName(winnerBranch)
        let hint = Self.manualHint(branch: shortBranch, base: base)
        let winnerTree = try repository.tree(ofCommit: winner)
        let changes = try repository.pathChanges(from: base.tree, to: winnerTree)
        if changes.isEmpty { return nil }

        // The user must still be where the session started.
        let head = try repository.head()
        if head.targetRef != base.targetRef || head.commit != base.headCommit {
            let now = head.commit.map { "\(head.targetRef) at \($0.short)" } ?? head.targetRef
            throw .mergeRefused(
                reason: "HEAD moved since the session started (was \(base.targetRef) at \(base.headCommit?.short ?? "no commit"), now \(now)).",
                hint: hint)
        }
        let fileUpdates = changes.map { OperationRecord.PathUpdate(path: $0.path, before: $0.old, after: $0.new) }
        var indexUpdates: [OperationRecord.PathUpdate] = []
        var refUpdates: [OperationRecord.RefUpdate] = []

        if mode == .squash || mode == .noFF {
            let headTree = try head.commit.map { id throws(GitWorkspaceError) in try repository.tree(ofCommit: id) }
            if mode == .noFF && (head.commit == nil || !base.isClean) {
                throw .mergeRefused(
                    reason: head.commit == nil
                        ? "a merge commit needs a commit on the current branch, and it has none yet."
                        : "the base includes your uncommitted changes, which a merge commit would drag into history.",
                    hint: "use --merge squash or --merge apply, or \(hint)")
            }
            // Paths the user had uncommitted edits to at session start cannot be committed for them.
            var dirty: [String] = []
            for change in changes {
                let headEntry = try headTree.flatMap { tree throws(GitWorkspaceError) in
                    try repository.entry(at: change.path, inTree: tree)
                }
                if headEntry != change.old { dirty.append(change.path) }
                indexUpdates.append(.init(path: change.path, before: headEntry, after: change.new))
            }
            if !dirty.isEmpty {
                throw .mergeRefused(
                    reason: "you had uncommitted changes to \(dirty.joined(separator: ", ")) when the session started.",
                    hint: "use --merge apply to get the change as uncommitted edits, or \(hint)")
            }
            let merged: ObjectID
            let ours: ObjectID
            if let headTree { ours = headTree } else { ours = try repository.emptyTree() }
            if ours == base.tree {
                // The session started from HEAD itself: the result is the winner's tree.
                merged = winnerTree
            } else {
                switch try repository.mergeTrees(ancestor: base.tree, ours: ours, theirs: winnerTree) {
                case .success(let tree): merged = tree
                case .failure(let conflict):
                    throw .mergeRefused(reason: "the change conflicts in \(conflict.paths.joined(separator: ", ")).", hint: hint)
                }
            }
            let signature = author ?? Self.userSignature(repository)
            let parents = (head.commit.map { [$0] } ?? []) + (mode == .noFF ? [winner] : [])
            let commit = try repository.createCommit(tree: merged, parents: parents, message: message, author: signature)
            refUpdates.append(.init(name: base.targetRef, old: head.commit, new: commit))
        }

        if let mismatch = try ChangeApplier(repository: repository).verify(
            files: fileUpdates, index: indexUpdates, refs: refUpdates)
        {
            throw .mergeRefused(reason: mismatch.reason, hint: hint)
        }
        let landed = refUpdates.first?.new.map { "commit \($0.short) on \(base.targetRef)" } ?? "the working tree"
        return OperationRecord(
            kind: .merge(mode), repositoryRoot: repository.workingDirectory, refUpdates: refUpdates,
            fileUpdates: fileUpdates, indexUpdates: indexUpdates,
            summary: "merge-back (\(mode.rawValue)) of \(shortBranch) into \(landed), \(changes.count) file(s)")
    }

    /// Carries out a planned merge: checks again that nothing moved since `plan`, then writes the
    /// files, index entries and refs all-or-nothing (refs by compare-and-swap).
    public func apply(_ record: OperationRecord, winnerBranch: String, base: BaseSnapshot) throws(GitWorkspaceError) {
        let repository = try Repository.open(at: repositoryRoot)
        let hint = Self.manualHint(branch: Self.shortName(winnerBranch), base: base)
        let applier = ChangeApplier(repository: repository)
        let (files, index, refs) = (record.fileUpdates, record.indexUpdates, record.refUpdates)
        let outside = record.outsideUpdates ?? []
        if let mismatch = try applier.verify(files: files, index: index, refs: refs, outside: outside) {
            throw .mergeRefused(reason: mismatch.reason, hint: hint)
        }
        do {
            try applier.apply(files: files, index: index, refs: refs, outside: outside)
        } catch .referenceMoved(let name, _, let actual) {
            throw .mergeRefused(reason: "\(name) moved while merging (now \(actual)).", hint: hint)
        }
    }

    /// `refs/heads/x` → `x`.
    static func shortName(_ branch: String) -> String {
        branch.hasPrefix("refs/heads/") ? String(branch.dropFirst(11)) : branch
    }

    /// The commands that merge the winner by hand.
    public static func manualHint(branch: String, base: BaseSnapshot) -> String {
        if base.isClean {
            return "review with `git diff HEAD...\(branch)`, then merge by hand: `git merge --squash \(branch) && git commit`"
        }
        return "review with `git diff \(base.commit.short) \(branch)`, then apply by hand: `git diff \(base.commit.short) \(branch) | git apply -3`"
    }

    /// The user's configured identity, else mg's.
    static func userSignature(_ repository: Repository) -> Signature {
        if let name = repository.configString("user.name"), let email = repository.configString("user.email") {
            return Signature(name: name, email: email)
        }
        return Signature(name: "mg", email: "mg@massgen.invalid")
    }
}
