import CodingAgent
import Foundation
import GitWorkspace

/// The agents' private copies of the write context paths outside the repository.
///
/// At the start the real folder (or file) is stored as a tree in the repository's object
/// database (the *start* tree) and checked out into one copy per agent under the session's
/// folder. An agent reads and changes its copy at the real path (its file tools map the path;
/// its commands see the copy mounted there). Each answer stores the copy as a tree again; the
/// winner's trees are compared with the start trees and the difference is written to the real
/// paths inside the merge transaction, as `OperationRecord.outsideUpdates`, so `mg undo`
/// reverts it and a file changed meanwhile refuses the merge. Every blob stays in the object
/// database.
struct ContextCopies: Sendable {
    /// One write context path outside the repository.
    struct Root: Sendable, Hashable {
        /// The entry of the plan.
        var entry: ContextPathPlan.Outside
        /// The real folder the tree is of: the path itself, or a file's folder.
        var folder: String
        /// A file root's name in `folder` (`nil` for a folder root).
        var fileName: String?
        /// The state at the session's start.
        var start: ObjectID
    }

    let roots: [Root]
    /// Every context path outside the repository (read ones too), for the tools.
    let outside: [ContextPathPlan.Outside]
    let repositoryRoot: String
    /// `<session folder>/context`: `<agent>/<index>` holds an agent's copy of root `index`.
    let folder: String

    /// Stores the start trees and makes every agent's copies; `nil` when there is no write
    /// context path outside the repository (read ones need no copy).
    static func prepare(
        plan: ContextPathPlan, repositoryRoot: String, sessionFolder: String, agents: [String]
    ) throws(GitWorkspaceError) -> ContextCopies? {
        guard !plan.outside.isEmpty else { return nil }
        let repository = try Repository.open(at: repositoryRoot)
        var roots: [Root] = []
        for entry in plan.outsideWrites {
            let folder = entry.isFile ? (entry.path as NSString).deletingLastPathComponent : entry.path
            let name = entry.isFile ? (entry.path as NSString).lastPathComponent : nil
            let start = try repository.writeTree(ofFolder: folder) { name == nil || $0 == name }
            roots.append(Root(entry: entry, folder: folder, fileName: name, start: start))
        }
        let copies = ContextCopies(
            roots: roots, outside: plan.outside, repositoryRoot: repositoryRoot,
            folder: sessionFolder + "/context")
        for agent in agents {
            for index in roots.indices {
                try copies.reset(agent: agent, root: index, to: roots[index].start, in: repository)
            }
        }
        return copies
    }

    /// The folder of `agent`'s copy of root `index`.
    func copyFolder(agent: String, root index: Int) -> String { folder + "/\(agent)/\(index)" }

    /// Where `agent` reads and writes root `index` (its copy of the folder or file).
    private func backing(agent: String, root index: Int) -> String {
        let copy = copyFolder(agent: agent, root: index)
        return roots[index].fileName.map { copy + "/" + $0 } ?? copy
    }

    /// The context roots of `agent`'s file tools: read paths as they are, write paths as its copies.
    func contextRoots(agent: String) -> [ContextRoot] {
        var writeIndex = 0
        return outside.map { entry in
            let protection = ProtectedPaths(configured: entry.protectedPaths)
            guard entry.writable else {
                return ContextRoot(
                    path: entry.path, backing: entry.path, writable: false, isFile: entry.isFile,
                    protection: protection)
            }
            defer { writeIndex += 1 }
            return ContextRoot(
                path: entry.path, backing: backing(agent: agent, root: writeIndex), writable: true,
                isFile: entry.isFile,
                protection: protection)
        }
    }

    /// `agent`'s copies mounted at the real paths in its sandbox.
    func binds(agent: String) -> [SandboxBind] {
        roots.indices.map {
            SandboxBind(source: backing(agent: agent, root: $0), target: roots[$0].entry.path)
        }
    }

    /// The folders every other agent's copies are in (hidden from `agent`'s commands).
    func otherAgentsFolders(than agent: String, agents: [String]) -> [String] {
        agents.filter { $0 != agent }.map { folder + "/" + $0 }
    }

    /// Stores `agent`'s copies as trees (one per root).
    func snapshot(agent: String) throws(GitWorkspaceError) -> [ObjectID] {
        let repository = try Repository.open(at: repositoryRoot)
        var trees: [ObjectID] = []
        for index in roots.indices {
            trees.append(try repository.writeTree(ofFolder: copyFolder(agent: agent, root: index)))
        }
        return trees
    }

    /// Makes `agent`'s copies hold `trees` (another agent's answer it adopts).
    func restore(agent: String, trees: [ObjectID]) throws(GitWorkspaceError) {
        let repository = try Repository.open(at: repositoryRoot)
        for (index, tree) in zip(roots.indices, trees) {
            try reset(agent: agent, root: index, to: tree, in: repository)
        }
    }

    private func reset(agent: String, root index: Int, to tree: ObjectID, in repository: Repository)
        throws(GitWorkspaceError)
    {
        let copy = copyFolder(agent: agent, root: index)
        do {
            if FileManager.default.fileExists(atPath: copy) {
                try FileManager.default.removeItem(atPath: copy)
            }
            try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        } catch {
            throw .invalidArgument(
                "Could not prepare the copy \(copy) of the context path: \(error.localizedDescription)")
        }
        try repository.materialize(tree: tree, into: copy)
    }

    /// The changes `trees` (an answer's copies) make to the context paths, as the merge writes them.
    func updates(for trees: [ObjectID]) throws(GitWorkspaceError) -> [OperationRecord.OutsideUpdate] {
        let repository = try Repository.open(at: repositoryRoot)
        var updates: [OperationRecord.OutsideUpdate] = []
        for (root, tree) in zip(roots, trees) {
            for change in try repository.pathChanges(from: root.start, to: tree) {
                updates.append(
                    OperationRecord.OutsideUpdate(
                        folder: root.folder,
                        update: .init(path: change.path, before: change.old, after: change.new)))
            }
        }
        return updates
    }

    /// The protected paths (the entry's `protected_paths` and mg's defaults) `trees` change, as
    /// absolute paths; an answer that changes one is refused.
    func protectedChanges(in trees: [ObjectID]) throws(GitWorkspaceError) -> [String] {
        let repository = try Repository.open(at: repositoryRoot)
        var paths: [String] = []
        for (root, tree) in zip(roots, trees) where tree != root.start {
            let protection = ProtectedPaths(configured: root.entry.protectedPaths)
            for change in try repository.pathChanges(from: root.start, to: tree)
            where protection.patterns.firstMatch(change.path) != nil {
                paths.append(root.folder + "/" + change.path)
            }
        }
        return paths
    }

    /// The answer's changes to the context paths as a patch other agents read (empty: none).
    func patch(for trees: [ObjectID], budget: Int) throws(GitWorkspaceError) -> String {
        let repository = try Repository.open(at: repositoryRoot)
        var text = ""
        for (root, tree) in zip(roots, trees) where tree != root.start {
            let diff = try repository.diff(from: root.start, to: tree)
            text += "Changes to the context path \(root.entry.path) (paths relative to \(root.folder)):\n"
            text += diff.budgetedPatch(maxBytes: budget).text + "\n"
        }
        return text
    }

    /// Removes every copy (the trees stay in the object database).
    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}
