import Foundation

/// Reads and writes working-tree files as git tree entries (content + mode): the one place that
/// turns an entry into a file for merge-back, undo, protected-path restores and worktree resets.
/// Reads hash through git's clean filters and writes go through its checkout filters
/// (`.gitattributes` eol/ident, `core.autocrlf`), so a file mg writes is the file git would check out.
struct WorkingTreeFiles {
    let repository: Repository
    let root: String
    /// Files outside the repository (a write context path) are hashed as their bytes are; the
    /// repository's own files as git would stage them (filters applied).
    let outside: Bool

    init(_ repository: Repository) {
        self.repository = repository
        self.root = repository.workingDirectory
        self.outside = false
    }

    /// Files under `folder`, outside the repository, their blobs kept in `repository`.
    init(_ repository: Repository, outsideFolder folder: String) {
        self.repository = repository
        self.root = folder
        self.outside = true
    }

    /// The entry the file at `path` would have if staged now; `nil` when absent.
    /// A directory where a file is expected counts as a mismatch (`.directory`).
    func currentEntry(_ path: String) throws(GitWorkspaceError) -> FileState {
        let full = root + "/" + path
        var info = stat()
        guard lstat(full, &info) == 0 else { return .absent }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? ""
            return .entry(TreeEntry(id: try repository.hashBlob(Data(target.utf8)), mode: .symlink))
        case S_IFREG:
            let executable = info.st_mode & 0o111 != 0
            let id = outside ? try repository.hashFile(atPath: full) : try repository.hashWorkingFile(path)
            return .entry(TreeEntry(id: id, mode: .file(executable: executable)))
        default:
            return .directory
        }
    }

    /// True when the file at `path` is exactly `expected` (`nil`: absent).
    func matches(_ path: String, _ expected: TreeEntry?) throws(GitWorkspaceError) -> Bool {
        let state = try currentEntry(path)
        switch (state, expected) {
        case (.absent, nil): return true
        case (.entry(let entry), let expected?):
            // Gitlinks (submodules) are never written by mg; compare content and exec bit only.
            return entry.id == expected.id && (entry.mode == expected.mode || expected.mode.isGitlink)
        default: return false
        }
    }

    /// Makes the file at `path` be `entry` (`nil`: delete it, then remove folders left empty).
    /// Whatever was there is replaced — only once the new content has been read, so a missing
    /// object leaves the old file in place; a submodule becomes an empty folder, as in checkout.
    func write(_ path: String, _ entry: TreeEntry?) throws(GitWorkspaceError) {
        let full = root + "/" + path
        let fm = FileManager.default
        let clear = { () throws(GitWorkspaceError) in try Self.remove(full) }
        do {
            if let entry {
                try fm.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                switch entry.mode {
                case .symlink:
                    let target = try repository.blobData(entry.id)
                    try clear()
                    try fm.createSymbolicLink(atPath: full, withDestinationPath: String(decoding: target, as: UTF8.self))
                case .gitlink:
                    try clear()
                    try fm.createDirectory(atPath: full, withIntermediateDirectories: true)
                default:
                    try repository.writeBlob(
                        entry.id.raw, path: path, to: full, executable: entry.isExecutable, filtered: true,
                        prepare: clear)
                }
            } else {
                try clear()
                removeEmptyParents(of: path)
            }
        } catch let error as GitWorkspaceError {
            throw error
        } catch {
            throw .invalidArgument("Could not write \(full): \(error.localizedDescription)")
        }
    }

    /// Removes whatever is at `full` (file, link, even a dangling one, or folder).
    private static func remove(_ full: String) throws(GitWorkspaceError) {
        let fm = FileManager.default
        guard (try? fm.destinationOfSymbolicLink(atPath: full)) != nil || fm.fileExists(atPath: full) else { return }
        do {
            try fm.removeItem(atPath: full)
        } catch {
            throw .invalidArgument("Could not replace \(full): \(error.localizedDescription)")
        }
    }

    private func removeEmptyParents(of path: String) {
        var components = path.split(separator: "/").dropLast()
        while !components.isEmpty {
            let dir = root + "/" + components.joined(separator: "/")
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: dir), entries.isEmpty else { return }
            try? FileManager.default.removeItem(atPath: dir)
            components = components.dropLast()
        }
    }
}

/// A working-tree path as mg sees it before writing.
enum FileState: Equatable {
    case absent
    case directory
    case entry(TreeEntry)
}
