/// One line of a hunk: its role and its bytes (without the line break).
public struct DiffLine: Sendable, Hashable {
    /// Whether the line is shared, added or removed.
    public enum Kind: Sendable, Hashable {
        /// Unchanged line shown around a change.
        case context
        /// Line present only on the new side.
        case addition
        /// Line present only on the old side.
        case deletion
    }

    /// Whether the line is shared, added or removed.
    public var kind: Kind
    /// The line's bytes without its trailing `\n` (kept as bytes so non-UTF-8 files round-trip).
    public var bytes: [UInt8]
    /// False for a last line with no final newline (`\ No newline at end of file`).
    public var hasNewline: Bool

    /// Creates a line.
    public init(kind: Kind, bytes: [UInt8], hasNewline: Bool = true) {
        self.kind = kind
        self.bytes = bytes
        self.hasNewline = hasNewline
    }

    /// The line as text (invalid UTF-8 is replaced, for display only).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The one-character prefix of the line in a unified diff.
    var marker: UInt8 {
        switch kind {
        case .context: return 0x20
        case .addition: return 0x2B
        case .deletion: return 0x2D
        }
    }
}

/// One `@@ -a,b +c,d @@` block of a unified diff.
public struct DiffHunk: Sendable, Hashable {
    /// First line of the old side covered by the hunk (1-based; 0 when the old side is empty).
    public var oldStart: Int
    /// Number of old-side lines in the hunk.
    public var oldLines: Int
    /// First line of the new side covered by the hunk.
    public var newStart: Int
    /// Number of new-side lines in the hunk.
    public var newLines: Int
    /// The enclosing function or section line git shows after the second `@@` (may be empty).
    public var section: String
    /// The hunk's lines in order.
    public var lines: [DiffLine]

    /// Creates a hunk.
    public init(oldStart: Int, oldLines: Int, newStart: Int, newLines: Int, section: String, lines: [DiffLine]) {
        self.oldStart = oldStart
        self.oldLines = oldLines
        self.newStart = newStart
        self.newLines = newLines
        self.section = section
        self.lines = lines
    }

    /// Lines added by this hunk.
    public var additions: Int { lines.reduce(0) { $0 + ($1.kind == .addition ? 1 : 0) } }
    /// Lines removed by this hunk.
    public var deletions: Int { lines.reduce(0) { $0 + ($1.kind == .deletion ? 1 : 0) } }

    /// The `@@ -a,b +c,d @@ section` line, formatted as git does (a count of 1 is omitted).
    public var header: String {
        func range(_ start: Int, _ count: Int) -> String {
            count == 1 ? "\(start)" : "\(start),\(count)"
        }
        let base = "@@ -\(range(oldStart, oldLines)) +\(range(newStart, newLines)) @@"
        return section.isEmpty ? base : base + " " + section
    }

    /// The hunk as unified-diff bytes: header line, then each line with its marker.
    public func render(into out: inout [UInt8]) {
        out.append(contentsOf: Array(header.utf8))
        out.append(0x0A)
        for line in lines {
            out.append(line.marker)
            out.append(contentsOf: line.bytes)
            out.append(0x0A)
            if !line.hasNewline {
                out.append(contentsOf: Array("\\ No newline at end of file\n".utf8))
            }
        }
    }
}
