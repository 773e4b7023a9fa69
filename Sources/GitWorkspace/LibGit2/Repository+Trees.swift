import CLibGit2
import Foundation

extension Repository {
    /// Writes the files of `tree` into `directory` (which must exist and be empty) as checkout
    /// would, without touching this repository's HEAD, index or working tree: an in-memory index
    /// is filled from the tree and each entry written once (filters, links, exec bits).
    public func materialize(tree: ObjectID, into directory: String) throws(GitWorkspaceError) {
        let treeObject = try lookupTree(tree)
        defer { git_tree_free(treeObject) }
        var index: OpaquePointer?
        try LibGit2.check(git_index_new(&index), "create an in-memory index")
        defer { git_index_free(index) }
        try LibGit2.check(git_index_read_tree(index, treeObject), "read tree \(tree.short) into an index")
        try writeEntries(of: index, into: directory, fillStatData: false)
    }

    /// A tree equal to `tree` except at `paths`, which take their entries from `source` (or are
    /// left out when `source` has none). Writes the new tree object and returns its id; the
    /// repository's refs, index and working tree are untouched.
    ///
    /// Used to run an answer's code against the base's test files: `overlay(answerTree,
    /// paths: testFiles, from: baseTree)`.
    public func overlay(_ tree: ObjectID, paths: [String], from source: ObjectID) throws(GitWorkspaceError) -> ObjectID {
        guard !paths.isEmpty else { return tree }
        let treeObject = try lookupTree(tree)
        defer { git_tree_free(treeObject) }
        var index: OpaquePointer?
        try LibGit2.check(git_index_new(&index), "create an in-memory index")
        defer { git_index_free(index) }
        try LibGit2.check(git_index_read_tree(index, treeObject), "read tree \(tree.short) into an index")
        for path in paths {
            if let entry = try self.entry(at: path, inTree: source) {
                var indexEntry = git_index_entry()
                indexEntry.mode = entry.mode.rawValue
                indexEntry.id = entry.id.raw
                let rc = path.withCString { raw -> Int32 in
                    indexEntry.path = raw
                    return git_index_add(index, &indexEntry)
                }
                try LibGit2.check(rc, "put \(path) into the overlay tree")
            } else {
                let rc = git_index_remove(index, path, 0)
                if rc != GIT_ENOTFOUND.rawValue { try LibGit2.check(rc, "leave \(path) out of the overlay tree") }
            }
        }
        var out = git_oid()
        try LibGit2.check(git_index_write_tree_to(&out, index, handle), "write the overlay tree")
        return ObjectID(out)
    }

    /// Every file path of `tree` (blobs and links; submodules included) for which `include`
    /// returns true, in git's order. Reads trees only, never blobs.
    public func filePaths(ofTree tree: ObjectID, where include: (String) -> Bool) throws(GitWorkspaceError) -> [String] {
        var result: [String] = []
        try collectPaths(tree, prefix: "", include: include, into: &result)
        return result
    }

    private func collectPaths(
        _ tree: ObjectID, prefix: String, include: (String) -> Bool, into result: inout [String]
    ) throws(GitWorkspaceError) {
        let object = try lookupTree(tree)
        defer { git_tree_free(object) }
        for entry in Self.entries(of: object) {
            let path = prefix + entry.text
            if entry.isTree {
                try collectPaths(ObjectID(entry.id), prefix: path + "/", include: include, into: &result)
            } else if include(path) {
                result.append(path)
            }
        }
    }
}

extension Repository {
    /// The git operation in progress in this working tree (a merge, rebase, cherry-pick, revert,
    /// bisect or `git am`), with how to finish or leave it; `nil` when none is.
    public func operationInProgress() -> (name: String, hint: String)? {
        let state = git_repository_state(handle)
        switch UInt32(bitPattern: state) {
        case GIT_REPOSITORY_STATE_NONE.rawValue: return nil
        case GIT_REPOSITORY_STATE_MERGE.rawValue:
            return ("a merge", "finish it with `git commit`, or leave it with `git merge --abort`")
        case GIT_REPOSITORY_STATE_REVERT.rawValue, GIT_REPOSITORY_STATE_REVERT_SEQUENCE.rawValue:
            return ("a revert", "finish it with `git revert --continue`, or leave it with `git revert --abort`")
        case GIT_REPOSITORY_STATE_CHERRYPICK.rawValue, GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE.rawValue:
            return ("a cherry-pick", "finish it with `git cherry-pick --continue`, or leave it with `git cherry-pick --abort`")
        case GIT_REPOSITORY_STATE_BISECT.rawValue:
            return ("a bisect", "end it with `git bisect reset`")
        case GIT_REPOSITORY_STATE_APPLY_MAILBOX.rawValue, GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE.rawValue:
            return ("`git am`", "finish it with `git am --continue`, or leave it with `git am --abort`")
        default:
            return ("a rebase", "finish it with `git rebase --continue`, or leave it with `git rebase --abort`")
        }
    }
}
