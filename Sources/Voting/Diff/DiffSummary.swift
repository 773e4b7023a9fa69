import GitWorkspace

/// The recorded shape of one diff: which commits, how much changed, and `git diff --stat`.
public struct DiffSummary: Sendable, Hashable, Codable {
    /// The older side.
    public var from: ObjectID
    /// The newer side.
    public var to: ObjectID
    /// Files changed.
    public var filesChanged: Int
    /// Lines added.
    public var insertions: Int
    /// Lines removed.
    public var deletions: Int
    /// Changed paths (new path for renames), in diff order.
    public var paths: [String]
    /// `git diff -M --stat` text.
    public var stat: String

    /// Lines added + removed.
    public var changedLines: Int { insertions + deletions }

    /// Summarises `diff` between `from` and `to`.
    public init(_ diff: TreeDiff, from: ObjectID, to: ObjectID) {
        self.from = from
        self.to = to
        filesChanged = diff.filesChanged
        insertions = diff.insertions
        deletions = diff.deletions
        paths = diff.files.map(\.path)
        stat = diff.stat()
    }
}

/// Pairwise similarity of the answers at the end of a round.
public struct SimilarityRecord: Sendable, Hashable, Codable {
    /// Anonymous ids, in matrix order.
    public var anonymousIDs: [String]
    /// `values[i][j]` = similarity of answers i and j, in [0, 1] (docs/similarity.md).
    public var values: [[Double]]
    /// Mean over pairs of different answers (`nil` with fewer than two).
    public var mean: Double?
    /// `converged`, `mixed`, `diverse` or `single`.
    public var label: String
}
