import Foundation

/// Reads and writes working-tree files as git tree entries (content + mode), for merge-back and undo.
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
            return .entry(TreeEntry(id: try repository.hashBlob(Data(target.utf8)), mode: 0o120000))
        case S_IFREG:
            let executable = info.st_mode & 0o111 != 0
            let id = outside ? try repository.hashFile(atPath: full) : try repository.hashWorkingFile(path)
            return .entry(TreeEntry(id: id, mode: executable ? 0o100755 : 0o100644))
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
            return entry.id == expected.id && (entry.mode == expected.mode || expected.mode == 0o160000)
        default: return false
        }
    }

    /// Makes the file at `path` be `entry` (`nil`: delete it, then remove folders left empty).
    func write(_ path: String, _ entry: TreeEntry?) throws(GitWorkspaceError) {
        let full = root + "/" + path
        let fm = FileManager.default
        do {
            if let entry {
                try fm.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                let data = try repository.blobData(entry.id)
                if (try? fm.destinationOfSymbolicLink(atPath: full)) != nil || fm.fileExists(atPath: full) {
                    try fm.removeItem(atPath: full)
                }
                if entry.isSymlink {
                    try fm.createSymbolicLink(atPath: full, withDestinationPath: String(decoding: data, as: UTF8.self))
                } else {
                    try data.write(to: URL(fileURLWithPath: full))
                    try fm.setAttributes([.posixPermissions: entry.isExecutable ? 0o755 : 0o644], ofItemAtPath: full)
                }
            } else {
                if (try? fm.destinationOfSymbolicLink(atPath: full)) != nil || fm.fileExists(atPath: full) {
                    try fm.removeItem(atPath: full)
                }
                removeEmptyParents(of: path)
            }
        } catch let error as GitWorkspaceError {
            throw error
        } catch {
            throw .invalidArgument("Could not write \(full): \(error.localizedDescription)")
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
