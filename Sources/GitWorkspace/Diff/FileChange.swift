/// How a file changed between two trees.
public enum FileChangeStatus: Sendable, Hashable {
    /// The path is new.
    case added
    /// The path is gone.
    case deleted
    /// Content and/or mode changed in place.
    case modified
    /// Moved from `oldPath`; `similarity` is git's percentage (100 = identical content).
    case renamed(similarity: Int)
    /// Copied from `oldPath`, which still exists; `similarity` as for renames.
    case copied(similarity: Int)
    /// The kind of entry changed (file ↔ symlink ↔ submodule).
    case typeChanged

    /// The letter(s) `git diff --name-status` prints, e.g. `M`, `R087`.
    public var nameStatusCode: String {
        switch self {
        case .added: return "A"
        case .deleted: return "D"
        case .modified: return "M"
        case .typeChanged: return "T"
        case .renamed(let similarity): return "R" + Self.threeDigits(similarity)
        case .copied(let similarity): return "C" + Self.threeDigits(similarity)
        }
    }

    private static func threeDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }
}

/// One file's change between two trees: paths, modes, blob ids, line counts and hunks.
public struct FileChange: Sendable, Hashable {
    /// What happened to the file.
    public var status: FileChangeStatus
    /// The path before the change (`nil` when added).
    public var oldPath: String?
    /// The path after the change (`nil` when deleted).
    public var newPath: String?
    /// The mode before (`nil` when added).
    public var oldMode: FileMode?
    /// The mode after (`nil` when deleted).
    public var newMode: FileMode?
    /// The blob before (`nil` when added).
    public var oldID: ObjectID?
    /// The blob after (`nil` when deleted).
    public var newID: ObjectID?
    /// True when git would treat either side as binary (a NUL byte in its first 8000 bytes).
    public var isBinary: Bool
    /// Added lines (0 for binary files).
    public var additions: Int
    /// Removed lines (0 for binary files).
    public var deletions: Int
    /// Byte sizes of the two sides (git's `Bin a -> b bytes`).
    public var oldSize: Int
    /// Byte size of the new side.
    public var newSize: Int
    /// Hunks with 3 lines of context; a type change carries the removal then the addition.
    public var hunks: [DiffHunk]

    /// Creates a file change.
    public init(
        status: FileChangeStatus, oldPath: String?, newPath: String?, oldMode: FileMode?, newMode: FileMode?,
        oldID: ObjectID?, newID: ObjectID?, isBinary: Bool, additions: Int, deletions: Int,
        oldSize: Int, newSize: Int, hunks: [DiffHunk]
    ) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.oldMode = oldMode
        self.newMode = newMode
        self.oldID = oldID
        self.newID = newID
        self.isBinary = isBinary
        self.additions = additions
        self.deletions = deletions
        self.oldSize = oldSize
        self.newSize = newSize
        self.hunks = hunks
    }

    /// The path that names the change: the new path, or the old one for a deletion.
    public var path: String { newPath ?? oldPath ?? "" }

    /// Lines added plus removed (binary files count as 0, as in `--numstat`).
    public var changedLines: Int { additions + deletions }

    /// True when only the mode changed (`old mode`/`new mode`, no content lines).
    public var isModeChangeOnly: Bool {
        status == .modified && oldID == newID && oldMode != newMode
    }

    /// The path as `--numstat`/`--stat` print it: `dir/{a => b}` for renames, C-quoted when
    /// needed (`quotePath` is git's `core.quotePath`).
    public func displayPath(quotePath: Bool = true) -> String {
        switch status {
        case .renamed, .copied:
            return GitPathFormatting.renameDisplay(from: oldPath ?? "", to: newPath ?? "", quotePath: quotePath)
        default:
            return GitPathFormatting.quoted(path, quotePath: quotePath)
        }
    }

    /// This file's line of `git diff --numstat` (without the newline).
    public func numstatLine(quotePath: Bool = true) -> String {
        let counts = isBinary ? "-\t-" : "\(additions)\t\(deletions)"
        return counts + "\t" + displayPath(quotePath: quotePath)
    }

    /// This file's line of `git diff --name-status` (without the newline).
    public func nameStatusLine(quotePath: Bool = true) -> String {
        switch status {
        case .renamed, .copied:
            return status.nameStatusCode + "\t" + GitPathFormatting.quoted(oldPath ?? "", quotePath: quotePath)
                + "\t" + GitPathFormatting.quoted(newPath ?? "", quotePath: quotePath)
        default:
            return status.nameStatusCode + "\t" + GitPathFormatting.quoted(path, quotePath: quotePath)
        }
    }
}
