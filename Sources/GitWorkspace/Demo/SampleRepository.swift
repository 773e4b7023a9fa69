import Foundation

/// Creates small sample repositories with libgit2 (mg never shells out to git): `mg demo`
/// starts from one.
public enum SampleRepository {
    /// Initialises a repository at `root` (HEAD on `main`) and commits every file already in the
    /// directory as its first commit; returns that commit.
    @discardableResult
    public static func create(
        at root: String, message: String = "Initial commit\n",
        author: Signature = Signature(name: "mg demo", email: "demo@massgen.invalid")
    ) throws(GitWorkspaceError) -> ObjectID {
        let repository = try Repository.initialize(at: root)
        let tree = try repository.stageAllIntoOwnIndex { _, _ in false }.tree
        let commit = try repository.createCommit(tree: tree, parents: [], message: message, author: author)
        try repository.updateReference(
            "refs/heads/main", to: commit, expecting: nil, message: "sample: initial commit")
        return commit
    }
}
