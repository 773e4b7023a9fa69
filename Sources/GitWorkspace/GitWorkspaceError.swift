/// What went wrong in a git operation, with how to fix it.
public enum GitWorkspaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No repository at or above `path`.
    case notARepository(path: String)
    /// The repository has no working tree; mg needs one.
    case bareRepository(path: String)
    /// The repository belongs to another user and git's `safe.directory` does not allow it.
    case notOwnedByCurrentUser(path: String)
    /// A reference moved since mg recorded it (compare-and-swap failed).
    case referenceMoved(name: String, expected: String, actual: String)
    /// A lock file is held by another process.
    case locked(path: String, message: String)
    /// Any other libgit2 failure: the operation, libgit2's code and message.
    case libgit2(operation: String, code: Int32, message: String)
    /// The request does not make sense for this repository.
    case invalidArgument(String)
    /// Merge-back refused: the user's branch or files moved. Nothing of the user's was changed;
    /// `hint` says how to merge by hand.
    case mergeRefused(reason: String, hint: String)
    /// Another mg process works on this repository.
    case repositoryLocked(path: String, holder: String)
    /// Undo refused: the user changed what the operation wrote since it ran.
    case undoRefused(reason: String)
    /// A git operation (merge, rebase, …) is in progress: mg would build on, or land into, a
    /// half-finished state.
    case operationInProgress(name: String, hint: String)
    /// The operation log could not be written before a change, so nothing was changed.
    case journalUnavailable(reason: String)
    /// A change failed half-way and putting back what it had written failed too: `paths` (files
    /// or refs) may hold the change's version. The operation stays in the log, marked, so
    /// `mg status` reports it and `mg undo` repairs it.
    case rollbackFailed(problem: String, paths: [String])

    public var description: String {
        switch self {
        case .notARepository(let path):
            return "Not inside a git repository: \(path)\nHint: run mg from inside a repository, or create one with `git init`."
        case .bareRepository(let path):
            return "The repository at \(path) is bare (it has no working tree).\nHint: run mg inside a clone with a working tree, e.g. `git clone \(path) work`."
        case .notOwnedByCurrentUser(let path):
            return "The repository at \(path) is owned by another user, so git refuses to use it.\nHint: if you trust it, run `git config --global --add safe.directory \(path)`."
        case .referenceMoved(let name, let expected, let actual):
            return "\(name) moved while mg was working (expected \(expected), found \(actual)); nothing was changed."
        case .locked(let path, let message):
            return "\(message)\nHint: if no other git process is running, delete the stale lock file \(path)"
        case .libgit2(let operation, let code, let message):
            return "git operation \(operation) failed (libgit2 error \(code)): \(message)"
        case .invalidArgument(let message):
            return message
        case .mergeRefused(let reason, let hint):
            return "Merge refused: \(reason)\nNothing of yours was changed.\nHint: \(hint)"
        case .repositoryLocked(let path, let holder):
            return "Another mg is working in this repository (\(holder)).\nHint: wait for it to finish, or check `mg status`; the lock is \(path)"
        case .undoRefused(let reason):
            return "Undo refused: \(reason)\nNothing was changed."
        case .operationInProgress(let name, let hint):
            return "The repository is in the middle of \(name), so mg will not start here.\nHint: \(hint), then run mg again."
        case .journalUnavailable(let reason):
            return "mg could not log the operation before changing anything (\(reason)), so nothing was changed.\n"
                + "Hint: check that .massgen/sessions/ is writable and the disk has room, then run the command again."
        case .rollbackFailed(let problem, let paths):
            return "A change failed half-way and could not be rolled back completely: \(problem)\n"
                + "These may hold the half-applied change: \(paths.joined(separator: ", ")).\n"
                + "Hint: run `mg undo` to put them back (it refuses anything you changed since); `mg status` shows it."
        }
    }
}
