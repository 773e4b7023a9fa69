import GitWorkspace

/// Turns a `TreeDiff` into the report's per-file lines within a line budget: whole hunks while
/// they fit, then a count of what was left out. A long diff is shortened with a note, never
/// dropped silently.
struct ReportDiff {
    /// Lines one answer's diff may take in the report.
    static let linesPerAnswer = 1_000
    /// Characters kept of one line (minified or generated files).
    static let lineLength = 400

    /// The report's view of `diff`, using at most `budget` lines (hunk headers count).
    static func make(_ diff: TreeDiff, budget: Int) -> ReportDocument.Diff {
        var remaining = max(0, budget)
        var files: [ReportDocument.DiffFile] = []
        var omitted = 0
        for change in diff.files {
            var lines: [String] = []
            var fileOmitted = 0
            for hunk in change.hunks {
                // A hunk that does not fit is shown up to the budget (a huge new file still shows
                // its start); what is cut is counted.
                let shown = min(hunk.lines.count, remaining - 1)
                guard shown > 0, shown == hunk.lines.count || shown >= 20 else {
                    fileOmitted += hunk.lines.count
                    continue
                }
                remaining -= shown + 1
                fileOmitted += hunk.lines.count - shown
                lines.append("@" + hunk.header.trimmingCharacters(in: .newlines))
                for line in hunk.lines.prefix(shown) {
                    let prefix =
                        switch line.kind {
                        case .addition: "+"
                        case .deletion: "-"
                        case .context: " "
                        }
                    var text = line.text
                    if text.hasSuffix("\n") { text.removeLast() }
                    if text.count > lineLength { text = String(text.prefix(lineLength)) + " …" }
                    lines.append(prefix + text)
                }
            }
            omitted += fileOmitted
            files.append(
                ReportDocument.DiffFile(
                    path: change.path, status: String(change.status.nameStatusCode.prefix(1)),
                    additions: change.additions, deletions: change.deletions, binary: change.isBinary, lines: lines,
                    omittedLines: fileOmitted))
        }
        let note =
            omitted > 0
            ? "Shortened: \(omitted) of \(diff.insertions + diff.deletions) changed lines are not shown here; "
                + "`git diff` of the two commits shows everything." : nil
        return ReportDocument.Diff(files: files, note: note)
    }

    /// The diff from `base` to `commit`, or an empty diff saying why it could not be read.
    static func between(
        _ base: String?, _ commit: String, repository: Repository?, budget: Int
    ) -> ReportDocument.Diff {
        guard let repository, let base else {
            return ReportDocument.Diff(files: [], note: "The diff is not available: no repository or base commit.")
        }
        do {
            let diff = try repository.diff(
                from: try repository.resolveCommit(base), to: try repository.resolveCommit(commit))
            if budget <= 0 {
                return ReportDocument.Diff(
                    files: [],
                    note: "Not shown: the report's diff budget is spent (\(diff.filesChanged) files, "
                        + "+\(diff.insertions) -\(diff.deletions)); `mg diff` shows it.")
            }
            return make(diff, budget: min(budget, linesPerAnswer))
        } catch {
            return ReportDocument.Diff(
                files: [], note: "The diff is not available: commit \(commit.prefix(10)) could not be read (\(error)).")
        }
    }

    /// Lines `diff` takes in the report (what it spends of the budget).
    static func lineCount(_ diff: ReportDocument.Diff) -> Int {
        diff.files.reduce(0) { $0 + $1.lines.count }
    }
}
