import Foundation

/// A throwaway copy of one tree's files, for running a command against exactly that tree: the
/// baseline test run on the base, an answer's code against the base's test files, gate
/// commands on a winner. It lives at `.massgen/workspaces/<session>/.check-<name>` — beside the
/// agents' worktrees, so paths in its output normalize the same way — and is not a git
/// worktree: no branch, no index, nothing for `git worktree list` or `mg clean` to track.
public struct ScratchCheckout: Sendable, Hashable {
    /// The folder holding the files.
    public let path: String

    /// The folder a check named `name` of `session` uses.
    public static func path(layout: ProjectLayout, session: String, name: String) -> String {
        layout.workspacesDirectory + "/" + session + "/.check-" + name
    }

    /// Writes `tree`'s files into a fresh folder (a leftover of an earlier crash is replaced).
    public static func create(
        repositoryRoot: String, session: String, name: String, tree: ObjectID
    ) throws(GitWorkspaceError) -> ScratchCheckout {
        try AgentWorktree.validateIdentifier(name, kind: "check")
        let layout = ProjectLayout(repositoryRoot: repositoryRoot)
        // .massgen/ ignores itself before anything is written in it.
        try layout.prepare()
        let folder = path(layout: layout, session: session, name: name)
        let fm = FileManager.default
        do {
            if fm.fileExists(atPath: folder) { try fm.removeItem(atPath: folder) }
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .invalidArgument(
                "Could not prepare \(folder) for a test run: \(error.localizedDescription)\nHint: check that .massgen/ is writable.")
        }
        let checkout = ScratchCheckout(path: folder)
        do {
            try Repository.open(at: repositoryRoot).materialize(tree: tree, into: folder)
        } catch {
            checkout.remove()
            throw error
        }
        return checkout
    }

    /// Deletes the folder (best effort: a leftover is replaced by the next check of that name).
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
