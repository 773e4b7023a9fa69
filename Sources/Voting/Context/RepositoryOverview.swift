import GitWorkspace

/// The "# Repository" section of an agent's context: which files the base has and how answers
/// are tested. Every agent otherwise spends its first turns on `list_files` and on guessing the
/// test command; small models guess file names instead (`tests.py` in a repository that has
/// none) and fail on them.
public struct RepositoryOverview: Sendable, Hashable {
    /// Files listed one per line when the base has at most this many.
    public static let pathLimit = 120
    /// Top-level entries shown when the files are too many to list.
    static let topLevelLimit = 60

    /// The base's files.
    public var listing: TreeListing
    /// The command run after each answer, if any.
    public var testCommand: String?

    /// Creates an overview.
    public init(listing: TreeListing, testCommand: String?) {
        self.listing = listing
        self.testCommand = testCommand
    }

    /// The section's text (without a trailing blank line).
    public var text: String {
        var out = "# Repository\n\n"
        if listing.totalFiles == 0 {
            out += "The repository has no files yet.\n"
        } else if listing.isComplete {
            out += "Files (\(listing.totalFiles)):\n" + listing.paths.joined(separator: "\n") + "\n"
        } else {
            let count = listing.countLimitReached ? "more than \(listing.totalFiles)" : "\(listing.totalFiles)"
            out += "The repository has \(count) files. Top level:\n"
            for entry in listing.topLevel.prefix(Self.topLevelLimit) {
                out +=
                    entry.isFolder
                    ? "\(entry.name)/ (\(entry.files) file\(entry.files == 1 ? "" : "s"))\n" : "\(entry.name)\n"
            }
            if listing.topLevel.count > Self.topLevelLimit {
                out += "… and \(listing.topLevel.count - Self.topLevelLimit) more entries\n"
            }
            out += "Use list_files with a folder to look inside it.\n"
        }
        out += "\n"
        if let testCommand {
            out +=
                "Tests: `\(testCommand)` runs in your worktree after each new_answer; every agent sees the result. "
                + "Run it yourself with run_command before you answer.\n"
        } else {
            out += "Tests: no test command is configured or detected; check your change with run_command.\n"
        }
        return out
    }
}
