import CLibGit2
import Foundation

/// A tree entry: blob (or link, or submodule commit) id and git file mode.
public struct TreeEntry: Sendable, Hashable, Codable {
    public var id: ObjectID
    public var mode: FileMode

    public init(id: ObjectID, mode: FileMode) {
        self.id = id
        self.mode = mode
    }

    /// True for a symbolic link.
    public var isSymlink: Bool { mode.isSymlink }
    /// True for an executable regular file.
    public var isExecutable: Bool { mode.isExecutable }
}

/// One path that differs between two trees (no rename pairing: a rename is a delete plus an add).
public struct PathChange: Sendable, Hashable, Codable {
    public var path: String
    /// The entry before, `nil` when added.
    public var old: TreeEntry?
    /// The entry after, `nil` when deleted.
    public var new: TreeEntry?
}

extension Repository {
    /// Every path whose entry differs between `from` and `to` (trees), in path order. Walks only
    /// subtrees whose ids differ, so the cost follows the change, not the repository.
    public func pathChanges(from: ObjectID, to: ObjectID) throws(GitWorkspaceError) -> [PathChange] {
        try rawTreeChanges(from: from, to: to).map { change in
            PathChange(
                path: change.path,
                old: change.oldID.map { TreeEntry(id: $0, mode: change.oldMode ?? .regular) },
                new: change.newID.map { TreeEntry(id: $0, mode: change.newMode ?? .regular) })
        }
    }

    /// Three-way merges trees: the changes `ancestor → theirs` applied onto `ours`.
    /// Returns the merged tree, or the conflicting paths.
    public func mergeTrees(ancestor: ObjectID, ours: ObjectID, theirs: ObjectID) throws(GitWorkspaceError) -> Result<ObjectID, MergeConflict> {
        let a = try lookupTree(ancestor)
        defer { git_tree_free(a) }
        let o = try lookupTree(ours)
        defer { git_tree_free(o) }
        let t = try lookupTree(theirs)
        defer { git_tree_free(t) }
        var options = git_merge_options()
        try LibGit2.check(mg_git_merge_options_init(&options), "init merge options")
        var index: OpaquePointer?
        try LibGit2.check(git_merge_trees(&index, handle, a, o, t, &options), "merge trees")
        defer { git_index_free(index) }
        if git_index_has_conflicts(index) == 1 {
            var paths: Set<String> = []
            var iterator: OpaquePointer?
            try LibGit2.check(git_index_conflict_iterator_new(&iterator, index), "list conflicts")
            defer { git_index_conflict_iterator_free(iterator) }
            var ancestorEntry: UnsafePointer<git_index_entry>?
            var ourEntry: UnsafePointer<git_index_entry>?
            var theirEntry: UnsafePointer<git_index_entry>?
            while git_index_conflict_next(&ancestorEntry, &ourEntry, &theirEntry, iterator) == 0 {
                for entry in [ancestorEntry, ourEntry, theirEntry] {
                    if let path = entry?.pointee.path { paths.insert(String(cString: path)) }
                }
            }
            return .failure(MergeConflict(paths: paths.sorted()))
        }
        var out = git_oid()
        try LibGit2.check(git_index_write_tree_to(&out, index, handle), "write merged tree")
        return .success(ObjectID(out))
    }

    /// The blob id git would give `data`.
    public func hashBlob(_ data: Data) throws(GitWorkspaceError) -> ObjectID {
        var out = git_oid()
        let rc = data.withUnsafeBytes { git_odb_hash(&out, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
        try LibGit2.check(rc, "hash data")
        return ObjectID(out)
    }

    /// Stores `data` as a blob.
    public func writeBlob(_ data: Data) throws(GitWorkspaceError) -> ObjectID {
        var out = git_oid()
        let rc = data.withUnsafeBytes { git_blob_create_from_buffer(&out, handle, $0.baseAddress, $0.count) }
        try LibGit2.check(rc, "write blob")
        return ObjectID(out)
    }

    func lookupTree(_ id: ObjectID) throws(GitWorkspaceError) -> OpaquePointer? {
        var tree: OpaquePointer?
        var oid = id.raw
        try LibGit2.check(git_tree_lookup(&tree, handle, &oid), "read tree \(id.short)")
        return tree
    }
}

/// Paths a three-way merge could not combine.
public struct MergeConflict: Error, Sendable, Hashable {
    public var paths: [String]
}
