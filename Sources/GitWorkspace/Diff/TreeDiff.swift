/// Options for `Repository.diff(from:to:options:)`.
public struct DiffOptions: Sendable, Hashable {
    /// Pair deletions with similar additions (`-M`). On by default, like `git diff`.
    public var detectRenames: Bool
    /// Also report copies from modified files (`-C`).
    public var detectCopies: Bool
    /// Minimum similarity percentage for a rename or copy (git's default 50).
    public var renameThreshold: Int
    /// Beyond this many sources × destinations (squared), only exact renames are found
    /// (git's `diff.renameLimit`, default 1000).
    public var renameLimit: Int
    /// Context lines around each change in hunks (git's default 3).
    public var contextLines: Int

    /// git's defaults: `git diff -M` with 3 lines of context.
    public init(
        detectRenames: Bool = true, detectCopies: Bool = false, renameThreshold: Int = 50,
        renameLimit: Int = 1000, contextLines: Int = 3
    ) {
        self.detectRenames = detectRenames
        self.detectCopies = detectCopies
        self.renameThreshold = renameThreshold
        self.renameLimit = renameLimit
        self.contextLines = contextLines
    }
}

/// The difference between two trees: every changed file with status, modes, line counts and
/// hunks, in git's output order. Its `numstat`, `nameStatus` and `stat` texts equal
/// `git diff -M --numstat` / `--name-status` / `--stat` on the same pair; `patch` applies with
/// `git apply`.
public struct TreeDiff: Sendable, Hashable {
    /// The old tree (`ObjectID.emptyTree` for an unborn base).
    public var oldTree: ObjectID
    /// The new tree.
    public var newTree: ObjectID
    /// Changed files in git's order (by new path; deletions by old path).
    public var files: [FileChange]
    /// The repository's `core.quotePath` (default true): whether non-ASCII path bytes are
    /// octal-escaped in printed paths, as git does.
    public var quotePath: Bool

    /// Creates a diff from its parts.
    public init(oldTree: ObjectID, newTree: ObjectID, files: [FileChange], quotePath: Bool = true) {
        self.oldTree = oldTree
        self.newTree = newTree
        self.files = files
        self.quotePath = quotePath
    }

    /// True when the two trees are identical.
    public var isEmpty: Bool { files.isEmpty }
    /// Number of files changed.
    public var filesChanged: Int { files.count }
    /// Lines added in all text files.
    public var insertions: Int { files.reduce(0) { $0 + $1.additions } }
    /// Lines removed in all text files.
    public var deletions: Int { files.reduce(0) { $0 + $1.deletions } }

    /// Exactly `git diff -M --numstat` for the same pair.
    public var numstat: String { files.map { $0.numstatLine(quotePath: quotePath) + "\n" }.joined() }

    /// Exactly `git diff -M --name-status` for the same pair.
    public var nameStatus: String { files.map { $0.nameStatusLine(quotePath: quotePath) + "\n" }.joined() }

    /// The file change at `path` (new or old path), if any.
    public func file(at path: String) -> FileChange? {
        files.first { $0.newPath == path || $0.oldPath == path }
    }
}

extension Repository {
    /// Compares two commits or trees; `nil` (or `ObjectID.emptyTree`) stands for the empty tree,
    /// so an unborn repository's first change diffs against nothing.
    ///
    /// Tree walking and line diffs come from libgit2; renames and copies are paired with git's
    /// own algorithm so the result matches `git diff -M` (see `RenameDetector`).
    public func diff(
        from old: ObjectID?, to new: ObjectID?, options: DiffOptions = DiffOptions()
    ) throws(GitWorkspaceError) -> TreeDiff {
        let oldTree = try peeledTree(old)
        let newTree = try peeledTree(new)
        let raw = try rawTreeChanges(from: oldTree, to: newTree)
        var pairs: [RenameDetector.Pair] = []
        if options.detectRenames || options.detectCopies {
            let threshold = min(100, max(0, options.renameThreshold))
            let detector = RenameDetector(
                minimumScore: threshold * GitSimilarityScore.maximum / 100,
                renameLimit: options.renameLimit, detectCopies: options.detectCopies)
            pairs = try detector.pairs(in: raw) { (index, newSide) throws(GitWorkspaceError) in
                SpanHashSignature(try blobBytes(newSide ? raw[index].newID : raw[index].oldID))
            }
        }
        let files = try assemble(raw, pairs: pairs, contextLines: options.contextLines)
        return TreeDiff(
            oldTree: oldTree ?? .emptyTree, newTree: newTree ?? .emptyTree, files: files,
            quotePath: Self.isTrue(configString("core.quotepath"), default: true))
    }

    /// Merges rename pairs into the raw list (a pair takes its destination's place; a renamed-away
    /// source disappears) and computes each file's lines.
    private func assemble(
        _ raw: [RawTreeChange], pairs: [RenameDetector.Pair], contextLines: Int
    ) throws(GitWorkspaceError) -> [FileChange] {
        let pairByDestination = Dictionary(pairs.map { ($0.destination, $0) }, uniquingKeysWith: { a, _ in a })
        var remainingUses: [Int: Int] = [:]
        for pair in pairs { remainingUses[pair.source, default: 0] += 1 }
        var files: [FileChange] = []
        files.reserveCapacity(raw.count)
        for (index, change) in raw.enumerated() {
            if let pair = pairByDestination[index] {
                let source = raw[pair.source]
                // git: the last destination (in output order) fed by a deleted source is the
                // rename, earlier ones are copies; a source that still exists is always copied.
                remainingUses[pair.source, default: 1] -= 1
                let percent = GitSimilarityScore.percent(pair.score)
                let isCopy = source.kind != .deleted || remainingUses[pair.source, default: 0] > 0
                files.append(
                    try fileChange(
                        status: isCopy ? .copied(similarity: percent) : .renamed(similarity: percent),
                        oldPath: source.path, newPath: change.path, oldMode: source.oldMode,
                        newMode: change.newMode, oldID: source.oldID, newID: change.newID,
                        contextLines: contextLines))
                continue
            }
            if change.kind == .deleted, remainingUses[index] != nil { continue }
            let status: FileChangeStatus
            switch change.kind {
            case .added: status = .added
            case .deleted: status = .deleted
            case .modified: status = .modified
            case .typeChanged: status = .typeChanged
            }
            files.append(
                try fileChange(
                    status: status, oldPath: change.kind == .added ? nil : change.path,
                    newPath: change.kind == .deleted ? nil : change.path, oldMode: change.oldMode,
                    newMode: change.newMode, oldID: change.oldID, newID: change.newID,
                    contextLines: contextLines))
        }
        return files
    }

    private func fileChange(
        status: FileChangeStatus, oldPath: String?, newPath: String?, oldMode: FileMode?, newMode: FileMode?,
        oldID: ObjectID?, newID: ObjectID?, contextLines: Int
    ) throws(GitWorkspaceError) -> FileChange {
        let old = try content(oldID, mode: oldMode)
        let new = try content(newID, mode: newMode)
        var change = FileChange(
            status: status, oldPath: oldPath, newPath: newPath,
            oldMode: oldMode, newMode: newMode, oldID: oldID, newID: newID,
            isBinary: GitBinaryDetection.isBinary(old) || GitBinaryDetection.isBinary(new),
            additions: 0, deletions: 0, oldSize: old.count, newSize: new.count, hunks: [])
        guard !change.isBinary, oldID != newID else { return change }
        let oldName = oldPath ?? newPath ?? ""
        let newName = newPath ?? oldPath ?? ""
        let counted = try Self.linePatch(old: old, oldPath: oldName, new: new, newPath: newName, contextLines: contextLines)
        change.additions = counted.additions
        change.deletions = counted.deletions
        if status == .typeChanged {
            // git counts a type change as one pair but prints it as a deletion then a creation.
            let removal = try Self.linePatch(old: old, oldPath: oldName, new: [], newPath: oldName, contextLines: contextLines)
            let addition = try Self.linePatch(old: [], oldPath: newName, new: new, newPath: newName, contextLines: contextLines)
            change.hunks = removal.hunks + addition.hunks
        } else {
            change.hunks = counted.hunks
        }
        return change
    }

    /// git's boolean config spelling; unset or unrecognised values give `fallback`.
    static func isTrue(_ value: String?, default fallback: Bool) -> Bool {
        switch value?.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: return fallback
        }
    }

    /// What git diffs for an entry: blob bytes, or `Subproject commit <id>\n` for a submodule.
    private func content(_ id: ObjectID?, mode: FileMode?) throws(GitWorkspaceError) -> [UInt8] {
        guard let id else { return [] }
        if mode?.isGitlink == true { return Array("Subproject commit \(id.hex)\n".utf8) }
        return try blobBytes(id)
    }
}
