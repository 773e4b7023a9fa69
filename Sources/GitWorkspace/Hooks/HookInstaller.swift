import Foundation

/// Drops `mg` into a git hook and takes it out again, chaining whatever hook was there.
///
/// `install` renames an existing hook `NAME` to `NAME.pre-mg` (bytes and mode untouched) and
/// writes a small `/bin/sh` script as `NAME` that runs the old hook first, with the same
/// arguments and standard input, then `mg ARGS`; either failing fails the hook. `uninstall`
/// deletes the script and renames `NAME.pre-mg` back, so the original returns byte-identical.
/// Hooks live where git looks for them: `core.hooksPath` (relative paths from the working tree
/// root, `~/` from `HOME`) or the common git directory's `hooks/`, which linked worktrees share.
public struct HookInstaller: Sendable {
    /// The folder git runs hooks from.
    public let hooksDirectory: String

    /// The suffix the chained original hook gets.
    public static let chainedSuffix = ".pre-mg"
    /// The line that marks a hook script as mg's.
    public static let marker = "# mg-hook: installed by `mg hook install`"

    /// Hook names git runs (githooks(5)); others are refused so a typo does not go unnoticed.
    public static let knownHooks: Set<String> = [
        "applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
        "prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge",
        "pre-push", "pre-receive", "update", "proc-receive", "post-receive", "post-update",
        "reference-transaction", "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate",
        "fsmonitor-watchman", "p4-changelist", "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit",
        "post-index-change",
    ]

    /// Uses the hooks folder git uses for `repository`.
    public init(repository: Repository, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let configured = repository.configString("core.hooksPath"), !configured.isEmpty {
            var path = configured
            if path.hasPrefix("~/"), let home = environment["HOME"] { path = home + path.dropFirst(1) }
            if !path.hasPrefix("/") { path = repository.workingDirectory + "/" + path }
            hooksDirectory = URL(fileURLWithPath: path).standardizedFileURL.path
        } else {
            hooksDirectory = repository.commonDirectory + "/hooks"
        }
    }

    /// Uses an explicit hooks folder.
    public init(hooksDirectory: String) {
        self.hooksDirectory = hooksDirectory
    }

    /// What `install` did.
    public struct Installation: Sendable, Hashable {
        /// The hook script's path.
        public var hookPath: String
        /// Where the previous hook now lives, when there was one.
        public var chainedHook: String?
        /// True when an mg hook was already there and was rewritten.
        public var replacedMGHook: Bool
    }

    /// Installs hook `name` to run `mg arguments` (through `executable`).
    public func install(name: String, arguments: [String], executable: String) throws(GitWorkspaceError) -> Installation {
        try Self.validate(name)
        let fm = FileManager.default
        let hook = hooksDirectory + "/" + name
        let chained = hook + Self.chainedSuffix
        let existing = Self.exists(hook)
        let alreadyMG = existing && Self.isMGHook(hook)
        do {
            try fm.createDirectory(atPath: hooksDirectory, withIntermediateDirectories: true)
            if existing && !alreadyMG {
                guard !Self.exists(chained) else {
                    throw GitWorkspaceError.invalidArgument(
                        "Both \(hook) and \(chained) exist, and \(name) is not mg's hook.\nHint: merge or remove one of them by hand, then run `mg hook install \(name)` again.")
                }
                try fm.moveItem(atPath: hook, toPath: chained)
            }
            let script = Self.script(name: name, arguments: arguments, executable: executable)
            let temporary = hooksDirectory + "/.\(name).mg-\(getpid()).tmp"
            try Data(script.utf8).write(to: URL(fileURLWithPath: temporary))
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary)
            guard rename(temporary, hook) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(atPath: temporary)
                throw GitWorkspaceError.invalidArgument("Could not write \(hook): \(reason)")
            }
        } catch let error as GitWorkspaceError {
            throw error
        } catch {
            throw .invalidArgument("Could not install the \(name) hook in \(hooksDirectory): \(error.localizedDescription)\nHint: check that the folder is writable.")
        }
        return Installation(
            hookPath: hook, chainedHook: Self.exists(chained) ? chained : nil, replacedMGHook: alreadyMG)
    }

    /// What `uninstall` did.
    public struct Removal: Sendable, Hashable {
        /// The hook path.
        public var hookPath: String
        /// True when the chained original was put back.
        public var restoredOriginal: Bool
    }

    /// Removes mg's hook `name` and puts the original back; refuses to touch a hook mg did not write.
    public func uninstall(name: String) throws(GitWorkspaceError) -> Removal {
        try Self.validate(name)
        let hook = hooksDirectory + "/" + name
        let chained = hook + Self.chainedSuffix
        guard Self.exists(hook) else {
            throw .invalidArgument("There is no \(name) hook in \(hooksDirectory); nothing to uninstall.")
        }
        guard Self.isMGHook(hook) else {
            throw .invalidArgument("\(hook) was not installed by mg, so it is left alone.\nHint: remove it by hand if you no longer want it.")
        }
        guard unlink(hook) == 0 else {
            throw .invalidArgument("Could not remove \(hook): \(String(cString: strerror(errno)))")
        }
        var restored = false
        if Self.exists(chained) {
            guard rename(chained, hook) == 0 else {
                throw .invalidArgument("Could not restore \(chained) as \(hook): \(String(cString: strerror(errno)))\nHint: rename it by hand.")
            }
            restored = true
        }
        return Removal(hookPath: hook, restoredOriginal: restored)
    }

    /// The installed mg hooks and the `mg` arguments each runs.
    public func installedHooks() -> [(name: String, command: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: hooksDirectory)) ?? []
        return names.sorted().compactMap { name in
            let path = hooksDirectory + "/" + name
            guard Self.isMGHook(path), let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let command = text.split(separator: "\n").first { $0.hasPrefix("# mg-command: ") }?.dropFirst(14)
            return (name, command.map(String.init) ?? "")
        }
    }

    static func validate(_ name: String) throws(GitWorkspaceError) {
        guard knownHooks.contains(name) else {
            throw .invalidArgument(
                "\"\(name)\" is not a git hook name.\nHint: use one of githooks(5)'s names, e.g. pre-commit, pre-push, commit-msg, post-merge.")
        }
    }

    /// True for a file or a symlink (even a dangling one: it is still the user's).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isMGHook(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 512)) ?? Data()
        return String(decoding: head, as: UTF8.self).contains(marker)
    }
}
