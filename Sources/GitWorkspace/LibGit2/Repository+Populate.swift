import CLibGit2
import Foundation

extension Repository {
    /// Fills this new, empty, mg-owned working tree with HEAD's files and writes a matching index.
    ///
    /// Why not `git_checkout_head`: libgit2's checkout diffs the (empty) folder against the tree
    /// and costs several times `git worktree add` on large trees. A fresh agent worktree needs no
    /// diff: every entry is written once, through the same filters git applies (`.gitattributes`
    /// eol/ident, `core.autocrlf`), and the index gets real stat data, so the first status walk
    /// trusts it instead of re-hashing every file.
    public func populateFromHead() throws(GitWorkspaceError) {
        guard let commit = try head().commit else { return }
        let tree = try self.tree(ofCommit: commit)
        var treeObject: OpaquePointer?
        var treeID = tree.raw
        try LibGit2.check(git_tree_lookup(&treeObject, handle, &treeID), "read tree \(tree.short)")
        defer { git_tree_free(treeObject) }
        var index: OpaquePointer?
        try LibGit2.check(git_repository_index(&index, handle), "open index")
        defer { git_index_free(index) }
        try LibGit2.check(git_index_read_tree(index, treeObject), "read tree into index")

        try writeEntries(of: index, into: workingDirectory, fillStatData: true)
        try LibGit2.check(git_index_write(index), "write index", path: gitDirectory + "/index")
    }

    /// Writes every entry of `index` below `root` as checkout would (filters applied when the
    /// repository has attributes or eol settings; links as links; submodules as empty folders).
    /// With `fillStatData`, the entries get the written files' stat data in place, so a later
    /// status walk trusts them instead of re-hashing every file.
    func writeEntries(of index: OpaquePointer?, into root: String, fillStatData: Bool) throws(GitWorkspaceError) {
        var paths: [String] = []
        let count = git_index_entrycount(index)
        paths.reserveCapacity(count)
        for position in 0..<count {
            if let path = git_index_get_byindex(index, position)?.pointee.path { paths.append(String(cString: path)) }
        }
        let filtered = needsCheckoutFilters(paths: paths)
        var madeDirectories: Set<String> = [root]
        for position in 0..<count {
            // Stat data is filled into the entries in place: re-adding 10,000 entries one by one
            // costs libgit2 a collision check each. Only stat fields change, never the sort key.
            guard let constEntry = git_index_get_byindex(index, position) else { continue }
            let entry = UnsafeMutablePointer(mutating: constEntry)
            guard let rawPath = entry.pointee.path else { continue }
            let path = String(cString: rawPath)
            let full = root + "/" + path
            let parent = (full as NSString).deletingLastPathComponent
            if !madeDirectories.contains(parent) {
                try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                madeDirectories.insert(parent)
            }
            let mode = FileMode(rawValue: entry.pointee.mode)
            switch mode {
            case .gitlink:  // a submodule: git leaves an empty folder
                try? FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
                continue
            case .symlink:
                let target = try blobData(ObjectID(entry.pointee.id))
                guard symlink(String(decoding: target, as: UTF8.self), full) == 0 else {
                    throw .invalidArgument("Could not create the link \(full): \(String(cString: strerror(errno)))")
                }
            default:
                try writeBlob(entry.pointee.id, path: path, to: full, executable: mode.isExecutable, filtered: filtered)
            }
            guard fillStatData else { continue }
            var info = stat()
            guard lstat(full, &info) == 0 else { continue }
            entry.pointee.ctime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_ctim.tv_sec), nanoseconds: UInt32(info.st_ctim.tv_nsec))
            entry.pointee.mtime = git_index_time(seconds: Int32(truncatingIfNeeded: info.st_mtim.tv_sec), nanoseconds: UInt32(info.st_mtim.tv_nsec))
            entry.pointee.dev = UInt32(truncatingIfNeeded: info.st_dev)
            entry.pointee.ino = UInt32(truncatingIfNeeded: info.st_ino)
            entry.pointee.uid = info.st_uid
            entry.pointee.gid = info.st_gid
            entry.pointee.file_size = UInt32(truncatingIfNeeded: info.st_size)
        }
    }

    /// True when checkout could transform content: any `.gitattributes` (tree, `info/attributes`,
    /// the user's global attributes file) or eol settings in config. Otherwise blobs are written
    /// as stored, which skips libgit2's per-file attribute lookups.
    private func needsCheckoutFilters(paths: [String]) -> Bool {
        if paths.contains(where: { $0 == ".gitattributes" || $0.hasSuffix("/.gitattributes") }) { return true }
        if FileManager.default.fileExists(atPath: commonDirectory + "/info/attributes") { return true }
        if let crlf = configString("core.autocrlf"), crlf != "false" { return true }
        if configString("core.eol") != nil || configString("core.attributesFile") != nil { return true }
        let environment = ProcessInfo.processInfo.environment
        let configHome = environment["XDG_CONFIG_HOME"] ?? ((environment["HOME"] ?? "") + "/.config")
        return FileManager.default.fileExists(atPath: configHome + "/git/attributes")
    }

    /// Writes blob `id` to `full` as git would check it out at `path` (filters applied when
    /// `filtered`). `prepare` runs once the content is ready and before anything is written (it
    /// clears the path), so an object that cannot be read leaves whatever is at `full` untouched;
    /// afterwards `full` must not exist or be a regular file.
    func writeBlob(
        _ id: git_oid, path: String, to full: String, executable: Bool, filtered: Bool,
        prepare: () throws(GitWorkspaceError) -> Void = {}
    ) throws(GitWorkspaceError) {
        var blob: OpaquePointer?
        var oid = id
        try LibGit2.check(git_blob_lookup(&blob, handle, &oid), "read \(path)")
        defer { git_blob_free(blob) }
        guard filtered else {
            let size = Int(git_blob_rawsize(blob))
            try prepare()
            try writeFile(full, bytes: git_blob_rawcontent(blob), count: size, executable: executable)
            return
        }
        var options = git_blob_filter_options()
        try LibGit2.check(mg_git_blob_filter_options_init(&options), "init filter options")
        // No binary pre-check: with it libgit2 returns an empty buffer for binary blobs. The
        // filters themselves leave binary content alone, as in checkout.
        options.flags = 0
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try LibGit2.check(git_blob_filter(&buffer, blob, path, &options), "filter \(path)")
        try prepare()
        try writeFile(full, bytes: UnsafeRawPointer(buffer.ptr), count: buffer.size, executable: executable)
    }

    private func writeFile(_ full: String, bytes: UnsafeRawPointer?, count: Int, executable: Bool) throws(GitWorkspaceError) {
        let descriptor = Glibc.open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard descriptor >= 0 else {
            throw .invalidArgument("Could not write \(full): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < count, let base = bytes {
            let written = Glibc.write(descriptor, base + offset, count - offset)
            guard written > 0 else {
                throw .invalidArgument("Could not write \(full): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }
}
