/// A patch cut to fit a byte budget, for prompts: the full patch when it fits, otherwise git's
/// `--stat` overview plus the hunks that change the most lines, with a note of what was left out.
public struct BudgetedPatch: Sendable, Hashable {
    /// The text to show (always ≤ the budget unless even the overview is larger).
    public var text: String
    /// True when `text` is the complete patch.
    public var isComplete: Bool
    /// Hunks left out.
    public var omittedHunks: Int
    /// Changed lines inside the omitted hunks.
    public var omittedLines: Int
    /// Files none of whose hunks are shown (their stat line is still in the overview).
    public var filesWithoutHunks: [String]
}

extension TreeDiff {
    /// The patch within `maxBytes` UTF-8 bytes. When the whole patch is larger, the result holds
    /// the `--stat` overview, then — in file order — the file headers and hunks chosen by most
    /// changed lines first (ties: earlier file first) while they fit, then a closing note naming
    /// how many hunks and lines were left out. The cut patch is for reading, not for `git apply`.
    public func budgetedPatch(maxBytes: Int) -> BudgetedPatch {
        let full = patch
        if full.utf8.count <= maxBytes {
            return BudgetedPatch(text: full, isComplete: true, omittedHunks: 0, omittedLines: 0, filesWithoutHunks: [])
        }
        let overview = stat()
        // Reserve room for the closing note (its numbers are at most a few digits each).
        let noteReserve = 160
        var remaining = maxBytes - overview.utf8.count - noteReserve

        struct HunkRef {
            var file: Int
            var hunk: Int
            var changed: Int
            var size: Int
        }
        var refs: [HunkRef] = []
        for (fileIndex, file) in files.enumerated() {
            for (hunkIndex, hunk) in file.hunks.enumerated() {
                var bytes: [UInt8] = []
                hunk.render(into: &bytes)
                refs.append(HunkRef(file: fileIndex, hunk: hunkIndex, changed: hunk.additions + hunk.deletions, size: bytes.count))
            }
        }
        let ranked = refs.sorted { lhs, rhs in
            if lhs.changed != rhs.changed { return lhs.changed > rhs.changed }
            if lhs.file != rhs.file { return lhs.file < rhs.file }
            return lhs.hunk < rhs.hunk
        }
        var chosen: [Int: Set<Int>] = [:]
        for ref in ranked {
            let header = chosen[ref.file] == nil ? headerSize(files[ref.file]) : 0
            guard ref.size + header <= remaining else { continue }
            remaining -= ref.size + header
            chosen[ref.file, default: []].insert(ref.hunk)
        }
        var body: [UInt8] = []
        for (fileIndex, file) in files.enumerated() {
            guard let keep = chosen[fileIndex] else { continue }
            var trimmed = file
            trimmed.hunks = file.hunks.enumerated().filter { keep.contains($0.offset) }.map(\.element)
            PatchRenderer.render(trimmed, quotePath: quotePath, into: &body)
        }
        let shown = chosen.values.reduce(0) { $0 + $1.count }
        let omittedLines = refs.filter { chosen[$0.file]?.contains($0.hunk) != true }.reduce(0) { $0 + $1.changed }
        let withoutHunks = files.enumerated()
            .filter { !$0.element.hunks.isEmpty && chosen[$0.offset] == nil }
            .map { $0.element.path }
        let note = "[mg: patch shortened to fit \(maxBytes) bytes: \(refs.count - shown) of \(refs.count) hunks (\(omittedLines) changed lines) left out; \(withoutHunks.count) files appear only in the stat above]\n"
        return BudgetedPatch(
            text: overview + "\n" + String(decoding: body, as: UTF8.self) + note, isComplete: false,
            omittedHunks: refs.count - shown, omittedLines: omittedLines, filesWithoutHunks: withoutHunks)
    }

    /// Bytes of a file's header lines (everything before its first hunk).
    private func headerSize(_ file: FileChange) -> Int {
        var headerOnly = file
        headerOnly.hunks = []
        var bytes: [UInt8] = []
        PatchRenderer.render(headerOnly, quotePath: quotePath, into: &bytes)
        // `---`/`+++` lines appear only with hunks; count them too (twice for a type change,
        // which prints as a deletion and a creation).
        let a = GitPathFormatting.quoted(file.oldPath ?? file.path, prefix: "a/", quotePath: quotePath).utf8.count
        let b = GitPathFormatting.quoted(file.newPath ?? file.path, prefix: "b/", quotePath: quotePath).utf8.count
        let labels = a + b + 12
        return bytes.count + (file.status == .typeChanged ? 2 * labels : labels)
    }
}
