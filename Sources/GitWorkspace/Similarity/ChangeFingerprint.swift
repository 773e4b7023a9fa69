/// What one agent changed relative to the base, reduced to what similarity compares: per file,
/// the multiset of changed lines (`+text` for an added line, `-text` for a removed one).
///
/// Changes without lines (binary content, mode-only, pure renames, deletions of empty files)
/// contribute one token describing the result, e.g. the new blob id and mode, so two agents that
/// make the same binary edit still agree and two that make different ones do not.
public struct ChangeFingerprint: Sendable, Hashable {
    /// Per file (new path, or old path for a deletion): token → multiplicity.
    public let files: [String: [String: Int]]
    /// The new tree the change produces (equal trees ⇒ identical changes against one base).
    public let tree: ObjectID

    /// Builds the fingerprint of `diff` (a diff from the shared base to an agent's answer).
    public init(_ diff: TreeDiff) {
        var files: [String: [String: Int]] = [:]
        for file in diff.files {
            var tokens: [String: Int] = [:]
            for hunk in file.hunks {
                for line in hunk.lines {
                    switch line.kind {
                    case .addition: tokens["+" + line.text, default: 0] += 1
                    case .deletion: tokens["-" + line.text, default: 0] += 1
                    case .context: break
                    }
                }
            }
            let modeChanged = file.oldMode != nil && file.newMode != nil && file.oldMode != file.newMode
            if file.isBinary || modeChanged || tokens.isEmpty {
                let result = file.newID.map { "\($0.hex):\(file.newMode?.description ?? "")" } ?? "deleted"
                tokens["=" + result + " from " + (file.oldPath ?? ""), default: 0] += 1
            }
            files[file.path, default: [:]].merge(tokens, uniquingKeysWith: +)
        }
        self.files = files
        self.tree = diff.newTree
    }

    /// Tokens in one file's multiset.
    func size(of path: String) -> Int {
        files[path]?.values.reduce(0, +) ?? 0
    }

    /// Tokens across all files.
    var totalSize: Int {
        files.values.reduce(0) { $0 + $1.values.reduce(0, +) }
    }
}
