import Foundation

/// The repository variables git exports to hooks and external commands, read once and then
/// removed from mg's environment.
///
/// Inside a hook git sets `GIT_DIR`, `GIT_INDEX_FILE` (and sometimes `GIT_WORK_TREE`). mg finds
/// the user's repository from them once; after that they must not leak into agents' commands,
/// where a `git status` in an agent worktree would otherwise read the user's repository and index.
public struct GitEnvironment: Sendable {
    /// The variables cleared, in the order git documents them.
    public static let repositoryVariables = [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX",
    ]

    /// The values found before clearing (only the ones that were set).
    public let captured: [String: String]
    /// The repository found from them, or the error finding it; `nil` when git exported none.
    private let discovered: Result<RepositoryLocation, GitWorkspaceError>?

    /// Where a repository is, as plain paths (a `Repository` handle is not Sendable).
    public struct RepositoryLocation: Sendable, Hashable {
        /// The working tree root.
        public var workingDirectory: String
        /// The git directory (per-worktree).
        public var gitDirectory: String
        /// The common git directory.
        public var commonDirectory: String
    }

    /// Reads the variables, discovers the repository they name (from `directory`), then unsets
    /// them in this process. Call once at startup, before any thread starts.
    public static func captureAndClear(from directory: String) -> GitEnvironment {
        let environment = ProcessInfo.processInfo.environment
        var captured: [String: String] = [:]
        for name in repositoryVariables {
            if let value = environment[name] { captured[name] = value }
        }
        var discovered: Result<RepositoryLocation, GitWorkspaceError>?
        if captured["GIT_DIR"] != nil || captured["GIT_WORK_TREE"] != nil {
            do {
                let repository = try Repository.discover(from: directory, honourEnvironment: true)
                discovered = .success(location(of: repository))
            } catch {
                discovered = .failure(error)
            }
        }
        for name in captured.keys { unsetenv(name) }
        return GitEnvironment(captured: captured, discovered: discovered)
    }

    /// The repository mg works on: the one git's variables named, else the one containing `directory`.
    public func repository(from directory: String) throws(GitWorkspaceError) -> RepositoryLocation {
        if let discovered { return try discovered.get() }
        return Self.location(of: try Repository.discover(from: directory, honourEnvironment: false))
    }

    static func location(of repository: Repository) -> RepositoryLocation {
        RepositoryLocation(
            workingDirectory: repository.workingDirectory, gitDirectory: repository.gitDirectory,
            commonDirectory: repository.commonDirectory)
    }
}
