import CLibGit2
import Foundation

/// Where HEAD points.
public enum HeadState: Sendable, Equatable {
    /// On `branch` (full ref name, e.g. `refs/heads/main`) at `commit`.
    case branch(String, commit: ObjectID)
    /// On `branch` which has no commit yet (a new repository).
    case unborn(String)
    /// Detached at `commit`.
    case detached(ObjectID)

    /// The commit HEAD resolves to, `nil` when unborn.
    public var commit: ObjectID? {
        switch self {
        case .branch(_, let commit), .detached(let commit): return commit
        case .unborn: return nil
        }
    }

    /// The ref merge-back updates: the branch, or `HEAD` itself when detached.
    public var targetRef: String {
        switch self {
        case .branch(let name, _), .unborn(let name): return name
        case .detached: return "HEAD"
        }
    }
}

/// An open libgit2 repository. Not shareable across threads: each task opens its own.
public final class Repository {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        git_repository_free(handle)
    }

    /// Finds the repository containing `path` (any subfolder; linked worktrees too), honouring
    /// `GIT_DIR` and `GIT_WORK_TREE` like git does.
    ///
    /// - Throws: `.notARepository`, `.bareRepository`, `.notOwnedByCurrentUser`.
    public static func discover(from path: String, honourEnvironment: Bool = true) throws(GitWorkspaceError) -> Repository {
        LibGit2.ensureInitialized()
        var out: OpaquePointer?
        let environment = ProcessInfo.processInfo.environment
        // libgit2 1.5's GIT_REPOSITORY_OPEN_FROM_ENV rejects GIT_WORK_TREE ("unimplemented"),
        // so the two variables are applied here, with git's meaning.
        let gitDir = honourEnvironment ? environment["GIT_DIR"].flatMap { $0.isEmpty ? nil : $0 } : nil
        let rc: Int32
        if let gitDir {
            let absolute = URL(fileURLWithPath: gitDir, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).path
            rc = git_repository_open_ext(&out, absolute, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        } else {
            rc = git_repository_open_ext(&out, path, 0, nil)
        }
        if rc == GIT_ENOTFOUND.rawValue {
            // libgit2 1.5 reports a repository owned by someone else as "not found" with a
            // message about a missing `safe.directory`: find the repository and say so plainly.
            if let owned = foreignOwnedRepository(above: gitDir ?? path) { throw .notOwnedByCurrentUser(path: owned) }
            throw .notARepository(path: gitDir ?? path)
        }
        try LibGit2.check(rc, "open repository", path: path)
        guard let handle = out else { throw .notARepository(path: path) }
        let repository = Repository(handle: handle)
        if gitDir != nil, let workTree = environment["GIT_WORK_TREE"], !workTree.isEmpty {
            let absolute = URL(fileURLWithPath: workTree, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).path
            try LibGit2.check(git_repository_set_workdir(handle, absolute, 0), "use GIT_WORK_TREE \(workTree)")
        }
        if git_repository_is_bare(handle) == 1 {
            throw .bareRepository(path: repository.gitDirectory)
        }
        return repository
    }

    /// The nearest folder at or above `path` holding a `.git` that belongs to another user.
    private static func foreignOwnedRepository(above path: String) -> String? {
        var current = URL(fileURLWithPath: path).standardizedFileURL
        while true {
            var info = stat()
            if lstat(current.path + "/.git", &info) == 0 {
                var folder = stat()
                let owner = lstat(current.path, &folder) == 0 ? folder.st_uid : info.st_uid
                return owner != geteuid() || info.st_uid != geteuid() ? current.path : nil
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// Opens the repository whose working tree or git dir is exactly `path` (no search).
    public static func open(at path: String) throws(GitWorkspaceError) -> Repository {
        LibGit2.ensureInitialized()
        var out: OpaquePointer?
        let rc = git_repository_open_ext(&out, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil)
        if rc == GIT_ENOTFOUND.rawValue { throw .notARepository(path: path) }
        try LibGit2.check(rc, "open repository", path: path)
        guard let handle = out else { throw .notARepository(path: path) }
        return Repository(handle: handle)
    }

    /// The working tree's root, without a trailing slash.
    public var workingDirectory: String {
        guard let path = git_repository_workdir(handle) else { return "" }
        return Self.trimmed(String(cString: path))
    }

    /// The git directory (for a linked worktree: `.git/worktrees/<name>`), without a trailing slash.
    public var gitDirectory: String {
        guard let path = git_repository_path(handle) else { return "" }
        return Self.trimmed(String(cString: path))
    }

    /// The common git directory shared by all worktrees, without a trailing slash.
    public var commonDirectory: String {
        guard let path = git_repository_commondir(handle) else { return gitDirectory }
        return Self.trimmed(String(cString: path))
    }

    /// True for a linked worktree (not the main one).
    public var isLinkedWorktree: Bool { git_repository_is_worktree(handle) == 1 }

    private static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// Where HEAD points.
    public func head() throws(GitWorkspaceError) -> HeadState {
        var ref: OpaquePointer?
        let rc = git_repository_head(&ref, handle)
        if rc == GIT_EUNBORNBRANCH.rawValue || rc == GIT_ENOTFOUND.rawValue {
            return .unborn(try symbolicTarget(of: "HEAD") ?? "refs/heads/main")
        }
        try LibGit2.check(rc, "read HEAD")
        defer { git_reference_free(ref) }
        guard let ref, let target = git_reference_target(ref) else {
            throw .libgit2(operation: "read HEAD", code: -1, message: "HEAD has no target")
        }
        let commit = ObjectID(target)
        if git_repository_head_detached(handle) == 1 {
            return .detached(commit)
        }
        return .branch(String(cString: git_reference_name(ref)), commit: commit)
    }

    /// The ref a symbolic ref points to (`HEAD` → `refs/heads/main`), `nil` when it is direct.
    public func symbolicTarget(of name: String) throws(GitWorkspaceError) -> String? {
        var ref: OpaquePointer?
        try LibGit2.check(git_reference_lookup(&ref, handle, name), "look up \(name)")
        defer { git_reference_free(ref) }
        guard let target = git_reference_symbolic_target(ref) else { return nil }
        return String(cString: target)
    }

    /// The commit a ref (full name) points to, `nil` when the ref does not exist.
    public func resolve(reference name: String) throws(GitWorkspaceError) -> ObjectID? {
        var oid = git_oid()
        let rc = git_reference_name_to_id(&oid, handle, name)
        if rc == GIT_ENOTFOUND.rawValue || rc == GIT_EUNBORNBRANCH.rawValue { return nil }
        try LibGit2.check(rc, "resolve \(name)")
        return ObjectID(oid)
    }

    /// Resolves a revision expression (`HEAD~1`, a branch, an id) to a commit.
    public func resolveCommit(_ revision: String) throws(GitWorkspaceError) -> ObjectID {
        var object: OpaquePointer?
        try LibGit2.check(git_revparse_single(&object, handle, revision), "resolve revision \(revision)")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try LibGit2.check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "peel \(revision) to a commit")
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled))
    }

    /// All references under `prefix` (e.g. `refs/heads/massgen/`) with their targets.
    public func references(withPrefix prefix: String) throws(GitWorkspaceError) -> [(name: String, target: ObjectID)] {
        var iterator: OpaquePointer?
        try LibGit2.check(git_reference_iterator_glob_new(&iterator, handle, prefix + "*"), "list references")
        defer { git_reference_iterator_free(iterator) }
        var result: [(String, ObjectID)] = []
        var ref: OpaquePointer?
        while git_reference_next(&ref, iterator) == 0 {
            if let ref, let target = git_reference_target(ref) {
                result.append((String(cString: git_reference_name(ref)), ObjectID(target)))
            }
            git_reference_free(ref)
        }
        return result.map { (name: $0.0, target: $0.1) }
    }

    /// Reads a config value (`user.name`), `nil` when unset.
    public func configString(_ key: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, handle) == 0 else { return nil }
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, key) == 0, let value else { return nil }
        return String(cString: value)
    }
}

extension Repository {
    /// Creates a new repository with a working tree at `path`, HEAD on `main`.
    public static func initialize(at path: String) throws(GitWorkspaceError) -> Repository {
        LibGit2.ensureInitialized()
        var out: OpaquePointer?
        try LibGit2.check(git_repository_init(&out, path, 0), "create repository", path: path)
        guard let handle = out else { throw .notARepository(path: path) }
        let repository = Repository(handle: handle)
        try LibGit2.check(git_repository_set_head(handle, "refs/heads/main"), "point HEAD at main")
        return repository
    }
}
