import CLibGit2
import Foundation

/// The result of staging a whole working tree into an index.
struct StagedTree {
    /// The tree `git add -A` would produce (minus skipped paths).
    var tree: ObjectID
    /// Paths left out by the caller's filter (e.g. secret-looking files).
    var skipped: [String]
}

/// Bridges a Swift path filter into libgit2's `git_index_matched_path_cb`.
private final class PathFilter {
    let skip: PathSkipRule
    let index: OpaquePointer?
    var skipped: [String] = []

    init(skip: @escaping PathSkipRule, index: OpaquePointer?) {
        self.skip = skip
        self.index = index
    }
}

/// Decides whether to leave a path out of a staged tree: `(path, isAlreadyTracked) -> skip`.
typealias PathSkipRule = (String, Bool) -> Bool

private let matchedPathCallback: git_index_matched_path_cb = { path, _, payload in
    guard let path, let payload else { return 0 }
    let filter = Unmanaged<PathFilter>.fromOpaque(payload).takeUnretainedValue()
    let name = String(cString: path)
    let tracked = git_index_get_bypath(filter.index, path, 0) != nil
    if filter.skip(name, tracked) {
        filter.skipped.append(name)
        return 1  // > 0: leave this path out
    }
    return 0
}

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
        let staged = try Self.stageAll(index: index, skip: skip)
        try LibGit2.check(git_index_write(index), "write index", path: gitDirectory + "/index")
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
        return try Self.stageAll(index: index, skip: skip)
    }

    private static func stageAll(index: OpaquePointer?, skip: @escaping PathSkipRule) throws(GitWorkspaceError) -> StagedTree {
        let filter = PathFilter(skip: skip, index: index)
        let payload = Unmanaged.passUnretained(filter).toOpaque()
        let added = withExtendedLifetime(filter) {
            git_index_add_all(index, nil, GIT_INDEX_ADD_DEFAULT.rawValue, matchedPathCallback, payload)
        }
        try LibGit2.check(added, "stage working tree")
        // add_all adds and updates; update_all also removes entries whose files are gone.
        let updated = withExtendedLifetime(filter) {
            git_index_update_all(index, nil, matchedPathCallback, payload)
        }
        try LibGit2.check(updated, "stage deletions")
        var tree = git_oid()
        try LibGit2.check(git_index_write_tree(&tree, index), "write tree")
        return StagedTree(tree: ObjectID(tree), skipped: Array(Set(filter.skipped)).sorted())
    }

    /// True when `path` has an entry in the repository's index.
    func indexContains(_ path: String) -> Bool {
        var index: OpaquePointer?
        guard git_repository_index(&index, handle) == 0 else { return false }
        defer { git_index_free(index) }
        return git_index_get_bypath(index, path, 0) != nil
    }
}
