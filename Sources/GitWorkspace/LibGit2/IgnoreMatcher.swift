import CLibGit2
import Synchronization

/// Answers "does git ignore this path?" for one working tree, using the repository's
/// `.gitignore` files, `.git/info/exclude` and `core.excludesFile` through libgit2.
///
/// Safe to share between tasks: the repository handle is confined behind a mutex.
public final class IgnoreMatcher: Sendable {
    private let repository: Mutex<Repository>
    /// The working tree root the relative paths are resolved against.
    public let worktreeRoot: String

    /// Opens the repository whose working tree is `worktreeRoot` (a main or linked worktree).
    public init(worktreeRoot: String) throws(GitWorkspaceError) {
        let repository = try Repository.open(at: worktreeRoot)
        self.worktreeRoot = repository.workingDirectory
        self.repository = Mutex(repository)
    }

    /// True when git would ignore `relativePath` (`isDirectory` matters for patterns ending in `/`).
    /// `.git` itself always counts as ignored.
    public func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        if relativePath == ".git" || relativePath.hasPrefix(".git/") { return true }
        let path = isDirectory && !relativePath.hasSuffix("/") ? relativePath + "/" : relativePath
        return repository.withLock { repository in
            var ignored: Int32 = 0
            guard git_ignore_path_is_ignored(&ignored, repository.handle, path) == 0 else { return false }
            return ignored == 1
        }
    }
}
