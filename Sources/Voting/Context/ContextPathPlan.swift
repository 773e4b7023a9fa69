import CodingAgent
import Foundation

/// What MassGen's `context_paths` mean for a session in one repository.
///
/// MassGen gives agents extra folders: `read` ones they may only read, `write` ones into which
/// the final answer is written. mg's agents work on the repository in their own worktrees, so:
///
/// - a **read** path outside the repository is readable by every agent (by its absolute path with
///   the file tools; mounted read-only for commands); one inside the repository is protected (no
///   answer may change it); one that covers the whole repository leaves the winner on its branch
///   (nothing lands in a read-only place) unless a merge mode is set;
/// - a **write** path inside the repository limits what answers may change to the write paths
///   (unless one of them is the repository itself); one outside the repository gets a private
///   copy per agent — changed like the worktree, snapshotted with every answer — and only the
///   winner's answer is written to the real path, in the merge transaction `mg undo` reverts.
public struct ContextPathPlan: Sendable, Hashable {
    /// A context path outside the repository.
    public struct Outside: Sendable, Hashable {
        /// Its absolute path.
        public var path: String
        /// A single file rather than a folder.
        public var isFile: Bool
        /// `permission: write`.
        public var writable: Bool
        /// MassGen's `protected_paths` of the entry, relative to it.
        public var protectedPaths: [String]
    }

    /// Paths outside the repository, in config order.
    public var outside: [Outside] = []
    /// Read paths inside the repository, as anchored protected-path patterns.
    public var readOnlyInside: [String] = []
    /// Write paths inside the repository (repository-relative); when any is set, answers may
    /// change only files under them.
    public var writeScopes: [String] = []
    /// A read path covers the whole repository.
    public var coversRepositoryReadOnly = false

    /// No context path at all.
    public var isEmpty: Bool {
        outside.isEmpty && readOnlyInside.isEmpty && writeScopes.isEmpty && !coversRepositoryReadOnly
    }

    /// The write paths outside the repository.
    public var outsideWrites: [Outside] { outside.filter(\.writable) }

    /// Classifies `paths` for the repository at `repositoryRoot` (`nil`: outside a repository,
    /// every path is outside). Refuses a write path the user may not write, one that contains
    /// the repository, and any path inside repository metadata (`.git`, `.massgen`).
    public static func plan(_ paths: [ContextPath], repositoryRoot: String?) throws(ConfigurationError)
        -> ContextPathPlan
    {
        var plan = ContextPathPlan()
        let root = repositoryRoot.map(Self.canonical)
        var coversRepositoryWritable = false
        for entry in paths {
            let absolute = Self.canonical(entry.absolutePath ?? entry.path)
            let location =
                entry.location ?? ConfigurationLocation(file: "<configuration>", line: 0, column: 0)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                continue
            }
            if let root, let relative = Self.relative(absolute, to: root) {
                if let first = relative.split(separator: "/").first, first == ".git" || first == ".massgen" {
                    throw .contextPathRefused(
                        location, path: absolute, reason: "it is inside the repository's metadata (\(first))",
                        hint: "name a folder of the repository or one outside it.")
                }
                let anchored = "/" + relative + (isDirectory.boolValue ? "/" : "")
                switch (entry.isWritable, relative.isEmpty) {
                case (false, true): plan.coversRepositoryReadOnly = true
                case (false, false): plan.readOnlyInside.append(anchored)
                case (true, true): coversRepositoryWritable = true
                case (true, false): plan.writeScopes.append(relative)
                }
                continue
            }
            if let root, Self.relative(root, to: absolute) != nil {
                if entry.isWritable {
                    throw .contextPathRefused(
                        location, path: absolute, reason: "it contains the repository mg works on (\(root))",
                        hint:
                            "agents change the repository in their own worktrees; name the folders outside it they may write, "
                            + "or the repository itself (path: \".\").")
                }
                plan.coversRepositoryReadOnly = true
            }
            if entry.isWritable, access(absolute, W_OK) != 0 {
                throw .contextPathRefused(
                    location, path: absolute,
                    reason: "you may not write it (\(String(cString: strerror(errno))))",
                    hint: "give it `permission: read`, or a path you may write.")
            }
            plan.outside.append(
                Outside(
                    path: absolute, isFile: !isDirectory.boolValue, writable: entry.isWritable,
                    protectedPaths: entry.protectedPaths))
        }
        // A write path that is the repository itself lifts the limit to the other write paths.
        if coversRepositoryWritable { plan.writeScopes = [] }
        return plan
    }

    /// `path` relative to `folder` (`""` for the folder itself), or `nil` when outside it.
    static func relative(_ path: String, to folder: String) -> String? {
        if path == folder { return "" }
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : nil
    }

    /// The path with symbolic links resolved (as given when it cannot be).
    static func canonical(_ path: String) -> String {
        guard let real = realpath(path, nil) else {
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        defer { free(real) }
        return String(cString: real)
    }

    /// What the agents are told about the context paths (empty when there are none).
    public var promptText: String {
        var lines: [String] = []
        for entry in outside {
            let kind = entry.isFile ? "file" : "folder"
            if entry.writable {
                lines.append(
                    "- \(entry.path) (\(kind), write): yours to change, by this absolute path with read_file, write_file, "
                        + "edit_file, list_files and search, or with run_command. Each agent changes its own copy; only the "
                        + "winning answer's changes are written to the real \(kind).")
            } else {
                lines.append(
                    "- \(entry.path) (\(kind), read-only): read it by this absolute path with read_file, list_files and "
                        + "search, or with run_command.")
            }
        }
        for pattern in readOnlyInside {
            lines.append("- \(String(pattern.dropFirst())) (in the repository, read-only): do not change it.")
        }
        if !writeScopes.isEmpty {
            lines.append(
                "- Answers may change only files under: " + writeScopes.joined(separator: ", ")
                    + " (the write context paths in the repository).")
        }
        guard !lines.isEmpty else { return "" }
        return "Context paths of this session:\n" + lines.joined(separator: "\n")
    }
}
