import CLibGit2
import Foundation

/// The result of staging a whole working tree into an index.
struct StagedTree {
    /// The tree `git add -A` would produce (minus skipped paths).
    var tree: ObjectID
    /// Paths left out by the caller's filter (e.g. secret-looking files).
    var skipped: [String]
    /// Whether any index entry was added, updated or removed.
    var indexChanged: Bool
}

/// Decides whether to leave a path out of a staged tree: `(path, isAlreadyTracked) -> skip`.
typealias PathSkipRule = (String, Bool) -> Bool

extension Repository {
    /// Stages every change of the working tree (`git add -A`) into this repository's own index,
    /// writes the index back (keeping its stat cache warm, so the next call only rehashes what
    /// changed) and returns the tree. Used in agent worktrees, whose index mg owns.
    ///
    /// `skip` sees each added/updated path; returning true leaves it out (reported in `skipped`).
    func stageAllIntoOwnIndex(skip: @escaping PathSkipRule) throws(GitWorkspaceError) -> StagedTree {
        var index: OpaquePointer?
        try LibGit2.check(git_repository_index(&index, handle), "open index")
        defer { git_index_free(index) }
        let staged = try stageAll(index: index, skip: skip)
        // An untouched index stays as it is on disk: no lock file, no rewrite (the common case
        // when a worktree is checked for leftovers before removal).
        if staged.indexChanged {
            try LibGit2.check(git_index_write(index), "write index", path: gitDirectory + "/index")
        }
        return staged
    }

    /// Builds the tree `git add -A` would produce from the working tree **without touching the
    /// user's index**: the index file is copied to a private temporary file first, which also
    /// reuses git's stat cache so unchanged files are not rehashed.
    ///
    /// The repository object's index is replaced by the private copy; use a dedicated
    /// `Repository` instance for this call.
    func stageAllIntoPrivateIndex(skip: @escaping PathSkipRule) throws(GitWorkspaceError) -> StagedTree {
        let userIndex = gitDirectory + "/index"
        let privateIndex = FileManager.default.temporaryDirectory
            .appendingPathComponent("mg-index-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: privateIndex) }
        if FileManager.default.fileExists(atPath: userIndex) {
            do {
                try FileManager.default.copyItem(atPath: userIndex, toPath: privateIndex)
            } catch {
                throw .libgit2(operation: "copy index", code: -1, message: "\(error)")
            }
        }
        var index: OpaquePointer?
        try LibGit2.check(git_index_open(&index, privateIndex), "open private index")
        defer { git_index_free(index) }
        try LibGit2.check(git_repository_set_index(handle, index), "use private index")
        return try stageAll(index: index, skip: skip)
    }

    /// `git add -A` into `index` (this repository's index): one status walk of the working tree,
    /// which trusts the index's stat cache, then only the changed paths are re-hashed or removed.
    private func stageAll(index: OpaquePointer?, skip: PathSkipRule) throws(GitWorkspaceError) -> StagedTree {
        var options = git_status_options()
        try LibGit2.check(mg_git_status_options_init(&options), "init status options")
        options.show = GIT_STATUS_SHOW_WORKDIR_ONLY
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try LibGit2.check(git_status_list_new(&list, handle, &options), "scan the working tree")
        defer { git_status_list_free(list) }
        var skipped: [String] = []
        var indexChanged = false
        let changed = GIT_STATUS_WT_NEW.rawValue | GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
        for position in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, position)?.pointee,
                let delta = entry.index_to_workdir?.pointee,
                let rawPath = delta.new_file.path ?? delta.old_file.path
            else { continue }
            let path = String(cString: rawPath)
            let status = entry.status.rawValue
            if status & GIT_STATUS_WT_DELETED.rawValue != 0 {
                try LibGit2.check(git_index_remove_bypath(index, rawPath), "unstage \(path)")
                indexChanged = true
            } else if status & changed != 0 {
                let tracked = git_index_get_bypath(index, rawPath, 0) != nil
                if skip(path, tracked) {
                    skipped.append(path)
                    continue
                }
                try LibGit2.check(git_index_add_bypath(index, rawPath), "stage \(path)")
                indexChanged = true
            }
        }
        var tree = git_oid()
        try LibGit2.check(git_index_write_tree(&tree, index), "write tree")
        return StagedTree(tree: ObjectID(tree), skipped: skipped.sorted(), indexChanged: indexChanged)
    }

    /// True when `path` has an entry in the repository's index.
    func indexContains(_ path: String) -> Bool {
        var index: OpaquePointer?
        guard git_repository_index(&index, handle) == 0 else { return false }
        defer { git_index_free(index) }
        return git_index_get_bypath(index, path, 0) != nil
    }
}
