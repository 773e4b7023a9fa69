import Foundation
import Synchronization

/// Creates, locks, removes and prunes agent worktrees of one repository.
public struct WorktreeManager: Sendable {
    /// The user's repository working tree root.
    public let repositoryRoot: String
    public let layout: ProjectLayout

    public init(repositoryRoot: String) {
        self.repositoryRoot = repositoryRoot
        self.layout = ProjectLayout(repositoryRoot: repositoryRoot)
    }

    /// The lock reason mg writes: names the session and the process holding it.
    public static func lockReason(session: String, agent: String, pid: Int32 = getpid()) -> String {
        "mg session \(session) agent \(agent) (pid \(pid))"
    }

    /// Creates one worktree per agent at `base`, each on a new branch and locked.
    /// Safe to call concurrently; a failure removes the branch it had just made.
    public func create(session: String, agents: [String], base: ObjectID) throws(GitWorkspaceError) -> [AgentWorktree] {
        try AgentWorktree.validateIdentifier(session, kind: "session")
        for agent in agents { try AgentWorktree.validateIdentifier(agent, kind: "agent") }
        guard Set(agents).count == agents.count else {
            throw .invalidArgument("Agent ids must be unique: \(agents.joined(separator: ", ")).")
        }
        try layout.prepare()
        let repository = try Repository.open(at: repositoryRoot)
        var created: [AgentWorktree] = []
        // Creation (admin files, branch, HEAD) is serialized; filling the folders, the expensive
        // part, runs in parallel below, each worktree on its own repository handle.
        for agent in agents {
            let worktree = AgentWorktree(
                session: session, agent: agent, path: layout.worktreePath(session: session, agent: agent))
            do {
                _ = try repository.addWorktree(
                    name: worktree.adminName, path: worktree.path,
                    branch: AgentWorktree.branchName(session: session, agent: agent), at: base, checkout: false)
                try repository.lockWorktree(worktree.adminName, reason: Self.lockReason(session: session, agent: agent))
            } catch {
                rollBack(created, base: base, in: repository)
                throw error
            }
            created.append(worktree)
        }
        let paths = created.map(\.path)
        let failures = Mutex<[Int: GitWorkspaceError]>([:])
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            do throws(GitWorkspaceError) {
                try Repository.open(at: paths[index]).populateFromHead()
            } catch {
                failures.withLock { $0[index] = error }
            }
        }
        if let failure = failures.withLock({ $0.values.first }) {
            rollBack(created, base: base, in: repository)
            throw failure
        }
        return created
    }

    /// Locks `worktree` for this process.
    public func lock(_ worktree: AgentWorktree) throws(GitWorkspaceError) {
        try Repository.open(at: repositoryRoot).lockWorktree(
            worktree.adminName, reason: Self.lockReason(session: worktree.session, agent: worktree.agent))
    }

    /// Unlocks `worktree`.
    public func unlock(_ worktree: AgentWorktree) throws(GitWorkspaceError) {
        try Repository.open(at: repositoryRoot).unlockWorktree(worktree.adminName)
    }

    /// What `remove` did.
    public struct Removal: Sendable, Hashable {
        /// The commit holding leftovers that were committed first, if any.
        public var leftoverCommit: ObjectID?
        /// The branch tip that keeps the worktree's work.
        public var branchTip: ObjectID
    }

    /// Removes `worktree` once everything in it is committed on its branch: leftovers (untracked
    /// included, secrets excepted) are committed first. Never forces: a locked worktree is refused.
    public func remove(_ worktree: AgentWorktree) throws(GitWorkspaceError) -> Removal {
        let repository = try Repository.open(at: repositoryRoot)
        let info = try repository.linkedWorktree(named: worktree.adminName)
        if let reason = info.lockReason {
            throw .invalidArgument(
                "The worktree \(worktree.path) is locked (\(reason)).\nHint: if that mg is still running, let it finish; "
                    + "if it is gone, `mg clean --session \(worktree.session)` unlocks and removes it (its work stays on its branch).")
        }
        var leftover: ObjectID?
        if info.isValid {
            let outcome = try IterationCommitter.commit(
                worktree, iteration: 0, summary: "mg: leftover work of \(worktree.agent) before removing its worktree")
            if case .committed(let commit) = outcome { leftover = commit.commit }
            // Verify the work is reachable from the branch before deleting the folder.
            let worktreeHead = try Repository.open(at: worktree.path).head().commit
            guard let tip = try repository.resolve(reference: worktree.branch), let worktreeHead,
                try repository.isAncestor(worktreeHead, of: tip)
            else {
                throw .invalidArgument(
                    "The work in \(worktree.path) is not on \(worktree.branch); the worktree was kept.")
            }
        }
        guard let tip = try repository.resolve(reference: worktree.branch) else {
            throw .invalidArgument("The branch \(worktree.branch) is missing; the worktree \(worktree.path) was kept.")
        }
        try repository.pruneWorktree(worktree.adminName, deleteWorkingTree: true)
        removeEmptySessionFolder(worktree.session)
        return Removal(leftoverCommit: leftover, branchTip: tip)
    }

    /// Forgets worktrees whose folders have vanished (their branches, which hold the work, stay).
    /// Worktrees locked by a process that is still alive are kept. Returns the pruned names.
    public func pruneStale() throws(GitWorkspaceError) -> [String] {
        let repository = try Repository.open(at: repositoryRoot)
        var pruned: [String] = []
        for worktree in try repository.linkedWorktrees() where !worktree.isValid {
            if let reason = worktree.lockReason {
                if let pid = Self.pid(inLockReason: reason), kill(pid, 0) == 0 { continue }
                try repository.unlockWorktree(worktree.name)
            }
            try repository.pruneWorktree(worktree.name, deleteWorkingTree: false)
            pruned.append(worktree.name)
        }
        return pruned
    }

    /// The mg worktrees git knows about (optionally of one session).
    public func worktrees(session: String? = nil) throws(GitWorkspaceError) -> [AgentWorktree] {
        let repository = try Repository.open(at: repositoryRoot)
        let prefix = layout.workspacesDirectory + "/"
        return try repository.linkedWorktrees().compactMap { info in
            guard info.path.hasPrefix(prefix) else { return nil }
            let parts = info.path.dropFirst(prefix.count).split(separator: "/")
            guard parts.count == 2 else { return nil }
            let worktree = AgentWorktree(session: String(parts[0]), agent: String(parts[1]), path: info.path)
            if let session, worktree.session != session { return nil }
            return worktree
        }
    }

    /// Removes worktrees this call just made and their branches — only while a branch still
    /// points at `base`, i.e. holds no work.
    private func rollBack(_ worktrees: [AgentWorktree], base: ObjectID, in repository: Repository) {
        for worktree in worktrees {
            try? repository.unlockWorktree(worktree.adminName)
            try? repository.pruneWorktree(worktree.adminName, deleteWorkingTree: true)
            try? repository.deleteReference(worktree.branch, expecting: base)
        }
    }

    /// The pid in a reason written by `lockReason`.
    static func pid(inLockReason reason: String) -> Int32? {
        guard let range = reason.range(of: "(pid ") else { return nil }
        return Int32(reason[range.upperBound...].prefix { $0.isNumber })
    }

    /// Removes the session's folder under `.massgen/workspaces/` once no worktree is left in it
    /// (callers removing worktrees in parallel call it once more at the end).
    public func removeEmptySessionFolder(_ session: String) {
        let folder = layout.workspacesDirectory + "/" + session
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: folder), entries.isEmpty {
            try? FileManager.default.removeItem(atPath: folder)
        }
    }
}
