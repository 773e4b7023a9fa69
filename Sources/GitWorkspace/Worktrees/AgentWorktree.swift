/// One agent's worktree in a session: `.massgen/workspaces/<session>/<agent>` on branch
/// `massgen/<session>/<agent>`.
public struct AgentWorktree: Sendable, Hashable, Codable {
    public var session: String
    public var agent: String
    /// The working tree folder.
    public var path: String
    /// Full branch ref, `refs/heads/massgen/<session>/<agent>`.
    public var branch: String
    /// git's administrative name for it (`.git/worktrees/<name>`).
    public var adminName: String

    public init(session: String, agent: String, path: String) {
        self.session = session
        self.agent = agent
        self.path = path
        self.branch = Self.branchRef(session: session, agent: agent)
        self.adminName = "mg-\(session)-\(agent)"
    }

    /// `refs/heads/massgen/<session>/<agent>`
    public static func branchRef(session: String, agent: String) -> String {
        "refs/heads/" + branchName(session: session, agent: agent)
    }

    /// `massgen/<session>/<agent>` (what users type).
    public static func branchName(session: String, agent: String) -> String {
        "massgen/\(session)/\(agent)"
    }

    /// Session and agent ids become path components and ref names: keep them to a safe alphabet.
    public static func validateIdentifier(_ id: String, kind: String) throws(GitWorkspaceError) {
        let allowed = id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard !id.isEmpty, id.count <= 64, allowed, !id.hasPrefix("."), !id.hasPrefix("-"),
            !id.hasSuffix(".lock"), !id.contains("..")
        else {
            throw .invalidArgument(
                "Invalid \(kind) id '\(id)'.\nHint: use 1–64 letters, digits, '-', '_' or '.', not starting with '.' or '-'.")
        }
    }
}
