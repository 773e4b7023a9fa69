import Foundation

/// Walks a directory of the workspace depth-first in name order, pruning metadata and ignored
/// entries and never descending into symlinked directories (they may lead outside the root).
struct WorkspaceWalker {
    /// One entry met during the walk.
    struct Entry {
        /// Path relative to the workspace root.
        var relative: String
        var absolute: String
        var isDirectory: Bool
        var isSymlink: Bool
        /// Nesting depth below the walk's start (0 for its direct children).
        var depth: Int
    }

    let workspace: WorkspaceRoot
    let ignoreRules: any IgnoreRules

    /// Visits entries under `start`; `visit` returns `false` to stop the walk early.
    func walk(from start: ResolvedPath, visit: (Entry) -> Bool) {
        _ = walkDirectory(absolute: start.absolute, relative: start.relative, depth: 0, visit: visit)
    }

    private func walkDirectory(absolute: String, relative: String, depth: Int, visit: (Entry) -> Bool) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute) else { return true }
        for name in names.sorted() {
            if WorkspaceRoot.isMetadataName(name) { continue }
            let childAbsolute = absolute + "/" + name
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(childAbsolute, &info) == 0 else { continue }
            let isSymlink = (info.st_mode & S_IFMT) == S_IFLNK
            let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
            if ignoreRules.isIgnored(relativePath: childRelative, isDirectory: isDirectory) { continue }
            let entry = Entry(
                relative: childRelative, absolute: childAbsolute, isDirectory: isDirectory, isSymlink: isSymlink, depth: depth)
            if !visit(entry) { return false }
            if isDirectory, !walkDirectory(absolute: childAbsolute, relative: childRelative, depth: depth + 1, visit: visit) {
                return false
            }
        }
        return true
    }
}
