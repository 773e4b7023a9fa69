/// `git diff --stat` rendering: one ` name | N ++--` line per file, scaled to the width, then
/// the ` N files changed, I insertions(+), D deletions(-)` summary — the same arithmetic as git's
/// `show_stats` so the text is byte-identical.
extension TreeDiff {
    /// Exactly `git diff -M --stat` (git uses width 80 when not writing to a terminal).
    public func stat(width requestedWidth: Int = 80) -> String {
        guard !files.isEmpty else { return "" }
        let names = files.map { $0.displayPath(quotePath: quotePath) }
        var maxNameLength = 0
        var maxChange = 0
        var binaryWidth = 0
        var numberWidth = 0
        for (file, name) in zip(files, names) {
            maxNameLength = max(maxNameLength, Self.columns(name))
            if file.isBinary {
                let (added, deleted) = Self.binaryBytes(file)
                binaryWidth = max(binaryWidth, 14 + Self.digits(added) + Self.digits(deleted))
                numberWidth = 3  // change counts align with "Bin"
            } else {
                maxChange = max(maxChange, file.changedLines)
            }
        }
        numberWidth = max(numberWidth, Self.digits(maxChange))
        let width = max(requestedWidth, 16 + 6 + numberWidth)
        var graphWidth = maxChange + 4 > binaryWidth ? maxChange : binaryWidth - 4
        var nameWidth = maxNameLength
        if nameWidth + numberWidth + 6 + graphWidth > width {
            if graphWidth > width * 3 / 8 - numberWidth - 6 {
                graphWidth = max(6, width * 3 / 8 - numberWidth - 6)
            }
            if nameWidth > width - numberWidth - 6 - graphWidth {
                nameWidth = width - numberWidth - 6 - graphWidth
            } else {
                graphWidth = width - numberWidth - 6 - nameWidth
            }
        }
        var out = ""
        for (file, fullName) in zip(files, names) {
            var name = fullName
            var prefix = ""
            var length = nameWidth
            if nameWidth < Self.columns(name) {
                // Too long: keep the tail, cut at a slash when possible, and mark with "...".
                prefix = "..."
                length = max(0, length - 3)
                name = String(String.UnicodeScalarView(name.unicodeScalars.suffix(length)))
                if let slash = name.firstIndex(of: "/") { name = String(name[slash...]) }
            }
            let padding = String(repeating: " ", count: max(0, length - Self.columns(name)))
            if file.isBinary {
                out += " \(prefix)\(name)\(padding) | \(Self.padded("Bin", numberWidth))"
                let (added, deleted) = Self.binaryBytes(file)
                out += added == 0 && deleted == 0 ? "\n" : " \(deleted) -> \(added) bytes\n"
                continue
            }
            var add = file.additions
            var del = file.deletions
            if graphWidth <= maxChange {
                var total = Self.scale(add + del, graphWidth, maxChange)
                if total < 2, add > 0, del > 0 { total = 2 }
                if add < del {
                    add = Self.scale(add, graphWidth, maxChange)
                    del = total - add
                } else {
                    del = Self.scale(del, graphWidth, maxChange)
                    add = total - del
                }
            }
            let total = file.changedLines
            out += " \(prefix)\(name)\(padding) | \(Self.padded(String(total), numberWidth))\(total > 0 ? " " : "")"
            out += String(repeating: "+", count: max(0, add)) + String(repeating: "-", count: max(0, del)) + "\n"
        }
        return out + summaryLine + "\n"
    }

    /// git's closing line, e.g. ` 3 files changed, 2 insertions(+), 2 deletions(-)`.
    public var summaryLine: String {
        var line = filesChanged == 1 ? " 1 file changed" : " \(filesChanged) files changed"
        if insertions > 0 || deletions == 0 {
            line += insertions == 1 ? ", 1 insertion(+)" : ", \(insertions) insertions(+)"
        }
        if deletions > 0 || insertions == 0 {
            line += deletions == 1 ? ", 1 deletion(-)" : ", \(deletions) deletions(-)"
        }
        return line
    }

    /// git shows sizes for a binary change only when the content differs.
    private static func binaryBytes(_ file: FileChange) -> (added: Int, deleted: Int) {
        file.oldID == file.newID ? (0, 0) : (file.newSize, file.oldSize)
    }

    /// git's `scale_linear`: at least one column for any change.
    private static func scale(_ value: Int, _ width: Int, _ maxChange: Int) -> Int {
        value == 0 || maxChange == 0 ? 0 : 1 + value * (width - 1) / maxChange
    }

    /// Display columns of a name (one per Unicode scalar; git counts East Asian wide
    /// characters as two, which only matters with `core.quotePath=false`).
    private static func columns(_ name: String) -> Int { name.unicodeScalars.count }

    private static func digits(_ value: Int) -> Int { String(value).count }

    private static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
