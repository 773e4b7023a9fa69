/// Whether a new answer brings anything new (MassGen's novelty rule: an answer identical to the
/// agent's previous one is rejected).
public enum IterationNovelty {
    /// True when `commit` has exactly the same tree as `previous`: the same content, modes and
    /// paths, whatever the messages say. Comparing tree ids is O(1) — no file is read.
    /// `previous == nil` (a first answer) is never identical.
    public static func isIdentical(
        _ commit: ObjectID, toPrevious previous: ObjectID?, in repository: Repository
    ) throws(GitWorkspaceError) -> Bool {
        guard let previous else { return false }
        if commit == previous { return true }
        return try repository.tree(ofCommit: commit) == repository.tree(ofCommit: previous)
    }
}
