/// Decides which workspace paths listings and searches skip.
///
/// The production rules come from GitWorkspace's libgit2-backed `IgnoreMatcher`
/// (`.gitignore`, `.git/info/exclude`, `core.excludesFile`). Implementations must be safe to
/// call from concurrent read-only tool calls.
public protocol IgnoreRules: Sendable {
    /// Whether `relativePath` (slash-separated, relative to the workspace root) is ignored.
    func isIgnored(relativePath: String, isDirectory: Bool) -> Bool
}

/// The fallback rules: only repository metadata (`.git`, `.massgen`) is skipped.
public struct MetadataIgnoreRules: IgnoreRules {
    /// Creates the fallback rules.
    public init() {}

    public func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        relativePath.split(separator: "/").contains { WorkspaceRoot.isMetadataName(String($0)) }
    }
}

/// Skips what either of two rule sets skips (e.g. metadata plus `.gitignore`).
public struct CombinedIgnoreRules: IgnoreRules {
    let first: any IgnoreRules
    let second: any IgnoreRules

    /// Combines two rule sets; a path is ignored when either ignores it.
    public init(_ first: any IgnoreRules, _ second: any IgnoreRules) {
        self.first = first
        self.second = second
    }

    public func isIgnored(relativePath: String, isDirectory: Bool) -> Bool {
        first.isIgnored(relativePath: relativePath, isDirectory: isDirectory)
            || second.isIgnored(relativePath: relativePath, isDirectory: isDirectory)
    }
}

import GitWorkspace

/// The production rules: git's own ignore logic (`.gitignore`, `info/exclude`, `core.excludesFile`).
extension IgnoreMatcher: IgnoreRules {}

extension ToolContext {
    /// A context whose listings and searches skip what git ignores in `workspace`, plus `.git`
    /// and `.massgen`; falls back to the metadata-only rules when the root is not a git worktree.
    public static func gitAware(
        workspace: WorkspaceRoot, protection: ProtectedPaths = ProtectedPaths(),
        contextRoots: [ContextRoot] = [], warn: @escaping @Sendable (String) -> Void = { _ in }
    ) -> ToolContext {
        let rules: any IgnoreRules
        if let matcher = try? IgnoreMatcher(worktreeRoot: workspace.path) {
            rules = CombinedIgnoreRules(MetadataIgnoreRules(), matcher)
        } else {
            rules = MetadataIgnoreRules()
        }
        var context = ToolContext(
            workspace: workspace, ignoreRules: rules, protection: protection, warn: warn)
        context.contextRoots = contextRoots
        return context
    }
}
