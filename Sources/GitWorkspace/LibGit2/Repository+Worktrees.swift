import CLibGit2
import Foundation
import Synchronization

/// A linked worktree as git records it in `.git/worktrees/<name>`.
public struct LinkedWorktree: Sendable, Hashable {
    /// The administrative name (`.git/worktrees/<name>`).
    public var name: String
    /// The working tree folder.
    public var path: String
    /// The lock reason when locked (possibly empty), `nil` when unlocked.
    public var lockReason: String?
    /// False when the folder or its `.git` file has vanished.
    public var isValid: Bool
}

/// libgit2 creates `.git/worktrees/<name>` without tolerating a concurrent creator, so every
/// worktree creation in this process goes through this lock (cross-process safety comes from
/// mg's repository lock).
private let worktreeCreation = Mutex(())

extension Repository {
    /// Creates a worktree `name` at `path` checked out on branch `branch` (short name). With a
    /// `commit`, the branch is created there first, and deleted again if the worktree cannot be
    /// made (it cannot hold work yet); without, the existing branch is used.
    ///
    /// With `checkout: false` only the administrative files, branch and HEAD are written; the
    /// caller then fills the folder with `checkoutHead()` (several worktrees can check out in
    /// parallel, while creation itself is serialized).
    public func addWorktree(
        name: String, path: String, branch: String, at commit: ObjectID?, checkout: Bool = true
    ) throws(GitWorkspaceError) -> LinkedWorktree {
        try worktreeCreation.withLock { _ throws(GitWorkspaceError) in
            let admin = commonDirectory + "/worktrees"
            try? FileManager.default.createDirectory(atPath: admin, withIntermediateDirectories: true)
            let parent = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)

            var branchRef: OpaquePointer?
            if let commit {
                var commitObject: OpaquePointer?
                var oid = commit.raw
                try LibGit2.check(git_commit_lookup(&commitObject, handle, &oid), "read commit \(commit.short)")
                defer { git_commit_free(commitObject) }
                try LibGit2.check(git_branch_create(&branchRef, handle, branch, commitObject, 0), "create branch \(branch)")
            } else {
                try LibGit2.check(git_branch_lookup(&branchRef, handle, branch, GIT_BRANCH_LOCAL), "find branch \(branch)")
            }
            defer { git_reference_free(branchRef) }

            var options = git_worktree_add_options()
            try LibGit2.check(mg_git_worktree_add_options_init(&options), "init worktree options")
            options.ref = branchRef
            if !checkout { options.checkout_options.checkout_strategy = GIT_CHECKOUT_NONE.rawValue }
            var worktree: OpaquePointer?
            let rc = git_worktree_add(&worktree, handle, name, path, &options)
            if rc < 0 {
                let error = LibGit2.error(rc, "add worktree \(name) at \(path)")
                if commit != nil, let branchRef { _ = git_branch_delete(branchRef) }
                throw error
            }
            git_worktree_free(worktree)
            return LinkedWorktree(name: name, path: path, lockReason: nil, isValid: true)
        }
    }

    /// All linked worktrees of this repository.
    public func linkedWorktrees() throws(GitWorkspaceError) -> [LinkedWorktree] {
        var names = git_strarray()
        try LibGit2.check(git_worktree_list(&names, handle), "list worktrees")
        return try LibGit2.strings(&names).map { name throws(GitWorkspaceError) in try linkedWorktree(named: name) }
    }

    /// The linked worktree `name`.
    public func linkedWorktree(named name: String) throws(GitWorkspaceError) -> LinkedWorktree {
        try withWorktree(name) { worktree in
            let path = git_worktree_path(worktree).map { String(cString: $0) } ?? ""
            var reason = git_buf()
            defer { git_buf_dispose(&reason) }
            let locked = git_worktree_is_locked(&reason, worktree)
            let lockReason = locked > 0 ? (reason.ptr.map { String(cString: $0) } ?? "") : nil
            return LinkedWorktree(
                name: name, path: path.hasSuffix("/") ? String(path.dropLast()) : path,
                lockReason: lockReason, isValid: git_worktree_validate(worktree) == 0)
        }
    }

    /// Locks worktree `name` with `reason` (git then refuses to prune or remove it).
    public func lockWorktree(_ name: String, reason: String) throws(GitWorkspaceError) {
        try withWorktree(name) { worktree throws(GitWorkspaceError) in
            let rc = git_worktree_lock(worktree, reason)
            if rc == GIT_ELOCKED.rawValue { return }  // already locked: keep the existing reason
            try LibGit2.check(rc, "lock worktree \(name)")
        }
    }

    /// Unlocks worktree `name` (no-op when unlocked).
    public func unlockWorktree(_ name: String) throws(GitWorkspaceError) {
        try withWorktree(name) { worktree throws(GitWorkspaceError) in
            try LibGit2.check(git_worktree_unlock(worktree), "unlock worktree \(name)")
        }
    }

    /// Removes worktree `name`'s administrative files and, when `deleteWorkingTree`, its folder.
    /// Refuses locked worktrees. Callers make sure all work is committed first.
    public func pruneWorktree(_ name: String, deleteWorkingTree: Bool) throws(GitWorkspaceError) {
        try withWorktree(name) { worktree throws(GitWorkspaceError) in
            var options = git_worktree_prune_options()
            try LibGit2.check(mg_git_worktree_prune_options_init(&options), "init prune options")
            var flags = GIT_WORKTREE_PRUNE_VALID.rawValue
            if deleteWorkingTree { flags |= GIT_WORKTREE_PRUNE_WORKING_TREE.rawValue }
            options.flags = flags
            try LibGit2.check(git_worktree_prune(worktree, &options), "prune worktree \(name)")
        }
    }

    /// Writes HEAD's files and index into this (new, mg-owned) working tree, overwriting whatever
    /// is there: only for a worktree created with `addWorktree(…, checkout: false)`.
    public func checkoutHead() throws(GitWorkspaceError) {
        var options = git_checkout_options()
        try LibGit2.check(mg_git_checkout_options_init(&options), "init checkout options")
        options.checkout_strategy = GIT_CHECKOUT_FORCE.rawValue
        try LibGit2.check(git_checkout_head(handle, &options), "check out \(workingDirectory)")
    }

    @discardableResult
    private func withWorktree<R>(_ name: String, _ body: (OpaquePointer?) throws(GitWorkspaceError) -> R) throws(GitWorkspaceError) -> R {
        var worktree: OpaquePointer?
        try LibGit2.check(git_worktree_lookup(&worktree, handle, name), "look up worktree \(name)")
        defer { git_worktree_free(worktree) }
        return try body(worktree)
    }
}
