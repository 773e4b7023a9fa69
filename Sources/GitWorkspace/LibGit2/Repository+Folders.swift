import CLibGit2
import Foundation

extension Repository {
    /// Stores the files under `folder` (any folder, in this repository or not) as a tree in this
    /// repository's object database and returns its id: regular files as blobs (their bytes as
    /// they are, no filters; the executable bit kept), symbolic links as links (never followed),
    /// subfolders as trees. Empty folders, `.git` entries and anything else (sockets, devices)
    /// are left out, as git leaves them out. `include` decides about the top-level names only
    /// (a single file of a folder: `include: { $0 == "styles.css" }`).
    ///
    /// This is how mg keeps the state of a context path outside the repository: the trees
    /// are compared with `pathChanges`, written back with `materialize`, and the blobs stay in
    /// the object database so `mg undo` can restore every file.
    public func writeTree(ofFolder folder: String, include: (String) -> Bool = { _ in true })
        throws(GitWorkspaceError)
        -> ObjectID
    {
        try writeFolderTree(folder, include: include)
    }

    /// The blob id of the file at `path` (its bytes as they are, no filters), without storing it.
    public func hashFile(atPath path: String) throws(GitWorkspaceError) -> ObjectID {
        var out = git_oid()
        try LibGit2.check(git_odb_hashfile(&out, path, GIT_OBJECT_BLOB), "hash \(path)")
        return ObjectID(out)
    }

    private func writeFolderTree(_ folder: String, include: (String) -> Bool) throws(GitWorkspaceError)
        -> ObjectID
    {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw .invalidArgument("Could not read the folder \(folder): \(error.localizedDescription)")
        }
        var builder: OpaquePointer?
        try LibGit2.check(git_treebuilder_new(&builder, handle, nil), "start a tree for \(folder)")
        defer { git_treebuilder_free(builder) }
        for name in names where name != ".git" && include(name) {
            let path = folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            var oid = git_oid()
            let mode: git_filemode_t
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                try LibGit2.check(git_blob_create_from_disk(&oid, handle, path), "store \(path)")
                mode = info.st_mode & 0o111 != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? ""
                oid = try writeBlob(Data(target.utf8)).raw
                mode = GIT_FILEMODE_LINK
            case S_IFDIR:
                let subtree = try writeFolderTree(path) { _ in true }
                // git keeps no empty folders.
                if try isEmptyTree(subtree) { continue }
                oid = subtree.raw
                mode = GIT_FILEMODE_TREE
            default:
                continue
            }
            try LibGit2.check(
                git_treebuilder_insert(nil, builder, name, &oid, mode), "add \(path) to its tree")
        }
        var out = git_oid()
        try LibGit2.check(git_treebuilder_write(&out, builder), "write the tree of \(folder)")
        return ObjectID(out)
    }

    private func isEmptyTree(_ tree: ObjectID) throws(GitWorkspaceError) -> Bool {
        tree == (try emptyTree())
    }
}
