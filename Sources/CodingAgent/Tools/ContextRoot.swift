import Foundation

/// A folder or file outside the agent's worktree that its file tools reach by absolute path:
/// MassGen's `context_paths`. A read context path is read where it is; a write context path is
/// read and written in the agent's private copy (`backing`), so no agent changes the real one
/// while the session runs — only the winner's answer lands there, at the end.
public struct ContextRoot: Sendable, Hashable {
    /// The absolute path the agent uses (the configured path).
    public var path: String
    /// Where its files are: `path` itself, or the agent's copy of it.
    public var backing: String
    /// Whether the agent may change it (its copy).
    public var writable: Bool
    /// Whether it is a single file rather than a folder.
    public var isFile: Bool
    /// Paths inside it the agent may not change (MassGen's `protected_paths` of the entry).
    public var protection: ProtectedPaths

    /// A context root.
    public init(
        path: String, backing: String, writable: Bool, isFile: Bool,
        protection: ProtectedPaths = ProtectedPaths()
    ) {
        self.path = path
        self.backing = backing
        self.writable = writable
        self.isFile = isFile
        self.protection = protection
    }

    /// The part of absolute `argument` inside this root (`""` for the root itself), or `nil`.
    func relative(_ argument: String) -> String? {
        let trimmed = argument.count > 1 && argument.hasSuffix("/") ? String(argument.dropLast()) : argument
        if trimmed == path { return "" }
        guard !isFile, trimmed.hasPrefix(path.hasSuffix("/") ? path : path + "/") else { return nil }
        return String(trimmed.dropFirst(path.hasSuffix("/") ? path.count : path.count + 1))
    }
}

extension ToolContext {
    /// The context a path argument is resolved in, and the argument to resolve there: the agent's
    /// own for a relative path; for an absolute path inside a context root, one confined to that
    /// root (its files, its protected paths, paths shown as absolute). `writing` refuses
    /// read-only roots.
    public func scoped(_ argument: String?, writing: Bool) throws(WorkspacePathError) -> (
        context: ToolContext, path: String?
    ) {
        guard let argument, argument.hasPrefix("/"), !contextRoots.isEmpty else { return (self, argument) }
        guard let root = contextRoots.first(where: { $0.relative(argument) != nil }),
            let rest = root.relative(argument)
        else {
            throw .outsideWorkspace(path: argument)
        }
        if writing && !root.writable { throw .readOnlyContext(path: argument) }
        var scoped = self
        scoped.contextRoots = []
        scoped.ignoreRules = MetadataIgnoreRules()
        scoped.protection = root.protection
        if root.isFile {
            var folder = try WorkspaceRoot((root.backing as NSString).deletingLastPathComponent)
            folder.displayPrefix = (root.path as NSString).deletingLastPathComponent + "/"
            scoped.workspace = folder
            return (scoped, (root.backing as NSString).lastPathComponent)
        }
        var folder = try WorkspaceRoot(root.backing)
        folder.displayPrefix = root.path + "/"
        scoped.workspace = folder
        return (scoped, rest)
    }
}
