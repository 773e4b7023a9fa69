/// mg's exit statuses (DESIGN §3, sysexits-style above 63). docs/cli.md lists them.
enum ExitStatus: Int32, CaseIterable {
    /// The command did what was asked.
    case done = 0
    /// The task did not succeed: no acceptable answer, review rejected.
    case taskFailed = 1
    /// A merge was refused or conflicted; the winner stays on its branch.
    case mergeRefused = 2
    /// The command line was wrong, or the command cannot run here (no repository, bare repository).
    case usage = 64
    /// Input data was wrong: the config file, a media file.
    case badInput = 65
    /// A backend is unavailable or refuses the key (no key configured, 401, network down).
    case backendUnavailable = 69
    /// A bug or an unexpected failure inside mg or libgit2.
    case internalError = 70
    /// Another mg holds the repository lock (or a git lock file is held); try again later.
    case locked = 75
}

/// A failure the CLI itself detects (a missing branch, an ambiguous agent), with its status.
struct CLIError: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }
}
