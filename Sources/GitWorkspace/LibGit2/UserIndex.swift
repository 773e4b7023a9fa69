import CLibGit2
import Foundation

/// Edits the repository's real index for a few paths, then writes it under `index.lock`.
/// Entries for every other path are kept exactly as they were.
public final class UserIndex {
    private let index: OpaquePointer
    private let repository: Repository

    /// Loads the repository's index.
    public init(_ repository: Repository) throws(GitWorkspaceError) {
        var index: OpaquePointer?
        try LibGit2.check(git_repository_index(&index, repository.handle), "open index")
        guard let index else { throw .libgit2(operation: "open index", code: -1, message: "no index") }
        git_index_read(index, 0)
        self.index = index
        self.repository = repository
    }

    deinit {
        git_index_free(index)
    }

    /// The stage-0 entry at `path`, `nil` when absent.
    public func entry(_ path: String) -> TreeEntry? {
        guard let entry = git_index_get_bypath(index, path, 0)?.pointee else { return nil }
        return TreeEntry(id: ObjectID(entry.id), mode: FileMode(rawValue: entry.mode))
    }

    /// Sets (or, with `nil`, removes) the entry at `path`.
    public func set(_ path: String, to entry: TreeEntry?) throws(GitWorkspaceError) {
        guard let entry else {
            let rc = git_index_remove(index, path, 0)
            if rc == GIT_ENOTFOUND.rawValue { return }
            try LibGit2.check(rc, "unstage \(path)")
            return
        }
        let cPath = strdup(path)
        defer { free(cPath) }
        var raw = git_index_entry()
        raw.mode = entry.mode.rawValue
        raw.id = entry.id.raw
        raw.path = UnsafePointer(cPath)
        try LibGit2.check(git_index_add(index, &raw), "stage \(path)")
    }

    /// Writes the index's entries as tree objects (the staged state) and returns the root tree;
    /// the index file itself is not changed.
    public func writeTree() throws(GitWorkspaceError) -> ObjectID {
        var oid = git_oid()
        try LibGit2.check(git_index_write_tree(&oid, index), "write the staged tree")
        return ObjectID(oid)
    }

    /// True when the index has unmerged (conflict) entries.
    public var hasConflicts: Bool { git_index_has_conflicts(index) == 1 }

    /// Writes the index to disk atomically (through `index.lock`).
    public func write() throws(GitWorkspaceError) {
        try LibGit2.check(git_index_write(index), "write index", path: repository.gitDirectory + "/index")
    }
}
