import Foundation

/// Whether `run_command` runs commands inside bubblewrap.
public enum SandboxMode: String, Sendable, Hashable, Codable {
    /// Use bubblewrap when `bwrap` is on PATH and works; otherwise run unsandboxed and warn once.
    case automatic
    /// Always run unsandboxed (e.g. the user opted out); warns once.
    case disabled
    /// Refuse to run commands when bubblewrap is unavailable.
    case required
}

/// Builds the bubblewrap command line that confines a command to its workspace.
///
/// The whole filesystem is mounted read-only, the workspace read-write, `/tmp` private, and
/// the repository's git metadata read-only — for a linked worktree that is the `.git` file,
/// the worktree's admin dir (`<repo>/.git/worktrees/<name>`) and the common dir — so
/// `git status`/`git diff` work but refs and objects cannot be written.
struct CommandSandbox {
    /// Path of the `bwrap` executable.
    let bubblewrap: String
    let networkEnabled: Bool
    /// Directories hidden behind an empty tmpfs (e.g. other agents' worktrees).
    let hiddenPaths: [String]
    /// Paths mounted read-only again after `/tmp` is covered (before the workspace and the hidden paths).
    var readOnlyBinds: [String] = []
    /// Folders mounted writable at another path.
    var writableBinds: [SandboxBind] = []

    /// The argument vector (without the executable) that runs `/bin/sh -c command` in `root`.
    func arguments(command: String, root: String) -> [String] {
        var args = [
            "--ro-bind", "/", "/",
            "--dev", "/dev",
            "--proc", "/proc",
            "--tmpfs", "/tmp",
        ]
        // Before the workspace: a read-only path that contains it must not cover it.
        for path in readOnlyBinds where FileManager.default.fileExists(atPath: path) {
            args += ["--ro-bind", path, path]
        }
        args += ["--bind", root, root]
        for path in Self.gitMetadataPaths(root: root) { args += ["--ro-bind", path, path] }
        let massgen = root + "/.massgen"
        if FileManager.default.fileExists(atPath: massgen) { args += ["--ro-bind", massgen, massgen] }
        for hidden in hiddenPaths where FileManager.default.fileExists(atPath: hidden) { args += ["--tmpfs", hidden] }
        for bind in writableBinds where FileManager.default.fileExists(atPath: bind.source) {
            args += ["--bind", bind.source, bind.target]
        }
        args += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
        if !networkEnabled { args.append("--unshare-net") }
        args += ["--chdir", root, "--", "/bin/sh", "-c", command]
        return args
    }

    /// The `.git` entry of `root` and, for a linked worktree, the admin and common dirs it points at.
    static func gitMetadataPaths(root: String) -> [String] {
        let dotGit = root + "/.git"
        guard let attributes = FileInspection.attributes(dotGit) else { return [] }
        if attributes.isDirectory { return [dotGit] }
        guard let contents = try? String(contentsOfFile: dotGit, encoding: .utf8),
            let line = contents.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("gitdir:") })
        else { return [dotGit] }
        var gitDir = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
        if !gitDir.hasPrefix("/") { gitDir = root + "/" + gitDir }
        var paths = [dotGit]
        guard let realGitDir = canonical(gitDir) else { return paths }
        paths.append(realGitDir)
        if let common = try? String(contentsOfFile: realGitDir + "/commondir", encoding: .utf8) {
            var commonDir = common.trimmingCharacters(in: .whitespacesAndNewlines)
            if !commonDir.hasPrefix("/") { commonDir = realGitDir + "/" + commonDir }
            if let realCommon = canonical(commonDir), !paths.contains(realCommon) { paths.append(realCommon) }
        }
        // The common dir contains the admin dir; bind the outer one first so the inner stays visible.
        return [dotGit] + paths.dropFirst().sorted { $0.count < $1.count }
    }

    private static func canonical(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// The first executable `bwrap` on `PATH`, or `nil`.
    static func findBubblewrap(path: String?) -> String? { findExecutable("bwrap", path: path) }

    /// The first executable `name` on `path` (default: the usual system folders), or `nil`.
    static func findExecutable(_ name: String, path: String?) -> String? {
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        return directories.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A folder mounted at another path inside the sandbox.
public struct SandboxBind: Sendable, Hashable {
    /// The folder (or file) on this machine.
    public var source: String
    /// Where commands see it.
    public var target: String

    /// Mounts `source` at `target`.
    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }
}
