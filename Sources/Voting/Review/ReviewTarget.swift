import Foundation
import GitWorkspace

/// The change `mg review` looks at: from `base` to `head`, both commits.
public struct ReviewTarget: Sendable, Hashable {
    /// What the user asked for, for messages and the record: `A..B`, `staged`, `refs/heads/x (pre-push)`.
    public var label: String
    /// The commit the change starts from.
    public var base: ObjectID
    /// The commit holding the change (for staged changes, a commit mg makes of the index).
    public var head: ObjectID

    /// Which change to review.
    public enum Request: Sendable, Hashable {
        /// The staged changes against HEAD (the default).
        case staged
        /// `A..B`, or one revision `A` meaning `A..HEAD`.
        case range(String)
        /// The pre-push hook's standard input: `<local ref> <local sha> <remote ref> <remote sha>` lines.
        case prePush(String)
    }

    /// The commits of `request` in the repository at `repositoryRoot`.
    public static func resolve(_ request: Request, repositoryRoot: String) throws(GitWorkspaceError) -> ReviewTarget {
        let repository = try Repository.open(at: repositoryRoot)
        switch request {
        case .staged:
            guard let head = try repository.head().commit else {
                throw .invalidArgument("There is no commit yet to review staged changes against.\nHint: commit once first, or name a range.")
            }
            let tree = try UserIndex(repository).writeTree()
            guard tree != (try repository.tree(ofCommit: head)) else {
                throw .invalidArgument("Nothing is staged, so there is nothing to review.\nHint: `git add` the change first, or name a range: mg review HEAD~1..HEAD")
            }
            let commit = try repository.createCommit(
                tree: tree, parents: [head], message: "mg review: staged changes\n",
                author: Signature(name: "mg", email: "mg@massgen.invalid"))
            return ReviewTarget(label: "staged", base: head, head: commit)
        case .range(let text):
            let parts = text.components(separatedBy: "..")
            guard parts.count <= 2, !(parts.first ?? "").isEmpty else {
                throw .invalidArgument("\"\(text)\" is not a range.\nHint: use A..B (e.g. main..HEAD) or one revision A for A..HEAD.")
            }
            let base = try repository.resolveCommit(parts[0])
            let head = try repository.resolveCommit(parts.count == 2 && !parts[1].isEmpty ? parts[1] : "HEAD")
            return ReviewTarget(label: parts.count == 2 ? text : text + "..HEAD", base: base, head: head)
        case .prePush(let input):
            return try prePush(input, repository: repository)
        }
    }

    static let zero = String(repeating: "0", count: 40)

    /// The first pushed ref that is not a deletion: its remote tip..local tip, or — for a new
    /// remote branch — the nearest remote-tracking ancestor (else its parent)..local tip.
    static func prePush(_ input: String, repository: Repository) throws(GitWorkspaceError) -> ReviewTarget {
        for line in input.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 4, fields[1] != zero, fields[1].count >= 40 else { continue }
            let local = try repository.resolveCommit(fields[1])
            let label = "\(fields[0]) → \(fields[2]) (pre-push)"
            if fields[3] != zero, let remote = ObjectID(hex: fields[3]), repository.containsObject(remote) {
                return ReviewTarget(label: label, base: remote, head: local)
            }
            var best: ObjectID?
            for remote in try repository.references(withPrefix: "refs/remotes/") {
                if let base = try repository.mergeBase(remote.target, local), base != local { best = best ?? base }
            }
            let parent = try repository.commit(local).parents.first
            guard let base = best ?? parent else {
                throw .invalidArgument("The pushed commit \(local.short) has no parent to review it against.\nHint: run `mg review <base>..\(local.short)` by hand.")
            }
            return ReviewTarget(label: label, base: base, head: local)
        }
        throw .invalidArgument("The pre-push input names no commit to push (only deletions, or empty).\nHint: inside a pre-push hook mg reads the pushed refs from standard input.")
    }
}
