import CLibGit2
import Foundation

/// Who made a commit.
public struct Signature: Sendable, Hashable {
    public var name: String
    public var email: String
    /// `nil` means now.
    public var date: Date?

    public init(name: String, email: String, date: Date? = nil) {
        self.name = name
        self.email = email
        self.date = date
    }
}

/// What mg needs to know about a commit.
public struct CommitInfo: Sendable, Hashable {
    public var id: ObjectID
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var message: String
    public var authorName: String
}

extension Repository {
    /// Reads a commit.
    public func commit(_ id: ObjectID) throws(GitWorkspaceError) -> CommitInfo {
        var commit: OpaquePointer?
        var oid = id.raw
        try LibGit2.check(git_commit_lookup(&commit, handle, &oid), "read commit \(id.short)")
        defer { git_commit_free(commit) }
        let parents = (0..<git_commit_parentcount(commit)).compactMap { index in
            git_commit_parent_id(commit, index).map { ObjectID($0) }
        }
        let message = git_commit_message(commit).map { String(cString: $0) } ?? ""
        let author = git_commit_author(commit).flatMap { $0.pointee.name.map { String(cString: $0) } } ?? ""
        return CommitInfo(
            id: id, tree: ObjectID(git_commit_tree_id(commit)), parents: parents,
            message: message, authorName: author)
    }

    /// Writes a commit object without moving any ref.
    public func createCommit(
        tree: ObjectID, parents: [ObjectID], message: String, author: Signature,
        committer: Signature? = nil
    ) throws(GitWorkspaceError) -> ObjectID {
        var treeOID = tree.raw
        var treeObject: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&treeObject, handle, &treeOID), "read tree \(tree.short)")
        defer { git_tree_free(treeObject) }
        var parentObjects: [OpaquePointer?] = []
        defer { parentObjects.forEach { git_commit_free($0) } }
        for parent in parents {
            var commit: OpaquePointer?
            var oid = parent.raw
            try LibGit2.check(git_commit_lookup(&commit, handle, &oid), "read commit \(parent.short)")
            parentObjects.append(commit)
        }
        let authorSig = try Self.makeSignature(author)
        defer { git_signature_free(authorSig) }
        let committerSig = try Self.makeSignature(committer ?? author)
        defer { git_signature_free(committerSig) }
        var out = git_oid()
        let rc = parentObjects.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: OpaquePointer?.self, capacity: buffer.count) { base in
                git_commit_create(
                    &out, handle, nil, authorSig, committerSig, "UTF-8", message, treeObject,
                    buffer.count, base)
            } ?? git_commit_create(&out, handle, nil, authorSig, committerSig, "UTF-8", message, treeObject, 0, nil)
        }
        try LibGit2.check(rc, "create commit")
        return ObjectID(out)
    }

    private static func makeSignature(_ signature: Signature) throws(GitWorkspaceError) -> UnsafeMutablePointer<git_signature>? {
        var out: UnsafeMutablePointer<git_signature>?
        if let date = signature.date {
            let seconds = git_time_t(date.timeIntervalSince1970)
            try LibGit2.check(git_signature_new(&out, signature.name, signature.email, seconds, 0), "make signature")
        } else {
            try LibGit2.check(git_signature_now(&out, signature.name, signature.email), "make signature")
        }
        return out
    }

    /// Writes the empty tree object (needed as a base in a repository with no commit).
    public func emptyTree() throws(GitWorkspaceError) -> ObjectID {
        var builder: OpaquePointer?
        try LibGit2.check(git_treebuilder_new(&builder, handle, nil), "create tree builder")
        defer { git_treebuilder_free(builder) }
        var out = git_oid()
        try LibGit2.check(git_treebuilder_write(&out, builder), "write empty tree")
        return ObjectID(out)
    }

    /// The tree of a commit.
    public func tree(ofCommit id: ObjectID) throws(GitWorkspaceError) -> ObjectID {
        try commit(id).tree
    }

    /// The entry at `path` in `tree`: blob (or subtree) id and file mode, `nil` when absent.
    public func entry(at path: String, inTree tree: ObjectID) throws(GitWorkspaceError) -> TreeEntry? {
        var treeOID = tree.raw
        var treeObject: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&treeObject, handle, &treeOID), "read tree \(tree.short)")
        defer { git_tree_free(treeObject) }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, treeObject, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(rc, "find \(path)")
        defer { git_tree_entry_free(entry) }
        return TreeEntry(id: ObjectID(git_tree_entry_id(entry)), mode: FileMode(rawValue: git_tree_entry_filemode(entry).rawValue))
    }

    /// The content of a blob.
    public func blobData(_ id: ObjectID) throws(GitWorkspaceError) -> Data {
        var blob: OpaquePointer?
        var oid = id.raw
        try LibGit2.check(git_blob_lookup(&blob, handle, &oid), "read blob \(id.short)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// Hashes the working-tree file at `path` as git would store it (filters applied), without writing it.
    public func hashWorkingFile(_ relativePath: String) throws(GitWorkspaceError) -> ObjectID {
        var out = git_oid()
        let full = workingDirectory + "/" + relativePath
        try LibGit2.check(
            git_repository_hashfile(&out, handle, full, GIT_OBJECT_BLOB, relativePath), "hash \(relativePath)")
        return ObjectID(out)
    }
}
