import Foundation

/// Why a path argument was refused, phrased so the model can correct its next call.
public enum WorkspacePathError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path is absolute, climbs above the root, or a symlink along it leads outside.
    case outsideWorkspace(path: String)
    /// The path goes through repository metadata (`.git`, `.massgen`).
    case metadata(path: String, component: String)
    /// The path is malformed (empty component soup, NUL bytes, symlink loops).
    case invalid(path: String, reason: String)
    /// The workspace root itself does not exist or is not a directory.
    case rootUnavailable(path: String, reason: String)
    /// The path is in a read-only context path: it may be read, not changed.
    case readOnlyContext(path: String)

    public var description: String {
        switch self {
        case .outsideWorkspace(let path):
            return "The path \(path) is outside your workspace; use paths relative to the workspace root (e.g. src/main.swift)."
        case .metadata(let path, let component):
            return "The path \(path) goes through \(component), which is repository metadata you cannot access; use the other files of the workspace."
        case .invalid(let path, let reason):
            return "The path \(path) cannot be used: \(reason)."
        case .rootUnavailable(let path, let reason):
            return "The workspace root \(path) is unavailable: \(reason)."
        case .readOnlyContext(let path):
            return
                "The path \(path) is in a read-only context path: you can read it, not change it. Change the files of your workspace instead."
        }
    }
}

/// A path argument resolved inside the workspace.
public struct ResolvedPath: Sendable, Hashable {
    /// The physical absolute path (symlinks resolved) to operate on.
    public var absolute: String
    /// The same path relative to the root, slash-separated; empty for the root itself.
    public var relative: String
    /// What messages show before `relative`: empty in the agent's worktree, the context path's
    /// absolute folder (with a trailing slash) outside it.
    public var displayPrefix = ""
    /// The relative path for messages: `.` for the root (absolute in a context path).
    public var display: String {
        if displayPrefix.isEmpty { return relative.isEmpty ? "." : relative }
        return relative.isEmpty ? String(displayPrefix.dropLast()) : displayPrefix + relative
    }
}

/// An agent's root directory and the rule that every path argument resolves inside it.
///
/// Resolution walks the path one component at a time the way the kernel does, reading each
/// symlink (dangling ones too) so a link anywhere along the path that leads outside is caught,
/// then refuses results outside the root or through `.git`/`.massgen`. A process running
/// concurrently in the workspace could swap a directory for a symlink after the check; tools
/// that write never run concurrently with `run_command`, and `run_command` itself is sandboxed.
public struct WorkspaceRoot: Sendable, Hashable {
    /// The canonical absolute path of the root.
    public let path: String
    private let rootComponents: [String]
    /// Shown before relative paths in messages (a context path's absolute folder); empty for a worktree.
    public var displayPrefix = ""

    /// Opens `path` (symlinks resolved) as a workspace root.
    public init(_ path: String) throws(WorkspacePathError) {
        guard let real = realpath(path, nil) else {
            throw .rootUnavailable(path: path, reason: String(cString: strerror(errno)))
        }
        let canonical = String(cString: real)
        free(real)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: canonical, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .rootUnavailable(path: path, reason: "it is not a directory")
        }
        self.path = canonical
        self.rootComponents = canonical.split(separator: "/").map(String.init)
    }

    /// Whether a single path component names repository metadata.
    static func isMetadataName(_ component: String) -> Bool {
        let lower = component.lowercased()
        return lower == ".git" || lower == ".massgen"
    }

    /// Resolves a model-supplied path; `nil`, empty and `.` mean the root.
    public func resolve(_ argument: String?) throws(WorkspacePathError) -> ResolvedPath {
        let given = argument ?? ""
        if given.contains("\0") { throw .invalid(path: given, reason: "it contains a NUL byte") }
        if given.hasPrefix("/") || given.hasPrefix("~") { throw .outsideWorkspace(path: given) }
        let lexical = given.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if let bad = lexical.first(where: Self.isMetadataName) { throw .metadata(path: given, component: bad) }

        var current = rootComponents
        var pending = ArraySlice(lexical)
        var symlinkHops = 0
        while let component = pending.popFirst() {
            if component == "." { continue }
            if component == ".." {
                // Climbing out of the root is refused outright, even if a later component
                // would come back in: the model should learn to use root-relative paths.
                if current == rootComponents || current.isEmpty { throw .outsideWorkspace(path: given) }
                current.removeLast()
                continue
            }
            let candidate = "/" + (current + [component]).joined(separator: "/")
            guard let target = Self.symlinkTarget(candidate) else {
                current.append(component)
                continue
            }
            symlinkHops += 1
            if symlinkHops > 40 { throw .invalid(path: given, reason: "too many levels of symbolic links") }
            if target.hasPrefix("/") { current = [] }
            pending = ArraySlice(target.split(separator: "/").map(String.init)) + pending
        }
        guard current.count >= rootComponents.count, Array(current.prefix(rootComponents.count)) == rootComponents else {
            throw .outsideWorkspace(path: given)
        }
        let inside = current.dropFirst(rootComponents.count)
        if let bad = inside.first(where: Self.isMetadataName) { throw .metadata(path: given, component: bad) }
        return ResolvedPath(
            absolute: "/" + current.joined(separator: "/"), relative: inside.joined(separator: "/"),
            displayPrefix: displayPrefix)
    }

    /// The target of the symlink at `path`, or `nil` when it is not a symlink (or does not exist).
    private static func symlinkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The relative path of an absolute path inside the root (for listings), or `nil`.
    public func relativePath(of absolute: String) -> String? {
        if absolute == path { return "" }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        guard absolute.hasPrefix(prefix) else { return nil }
        return String(absolute.dropFirst(prefix.count))
    }
}
