import Foundation

/// Draws a live panel at the bottom of a terminal and keeps it updated in place.
///
/// Each update moves the cursor back to the panel's first line and rewrites only the lines that
/// changed (unchanged lines are stepped over), inside a synchronized-output block
/// (`ESC[?2026h` … `ESC[?2026l`, ignored by terminals without it) so the terminal shows the
/// whole update at once — no flicker. History lines go above the panel and scroll normally. The
/// cursor is hidden while the panel is live and shown again by `finish` (and by `restoreSequence`
/// on an interrupt). `draw` returns the bytes instead of writing them, so it is testable.
struct TerminalScreen: Sendable {
    static let beginSync = "\u{1B}[?2026h"
    static let endSync = "\u{1B}[?2026l"
    static let hideCursor = "\u{1B}[?25l"
    static let showCursor = "\u{1B}[?25h"
    static let clearLine = "\u{1B}[2K"
    static let clearBelow = "\u{1B}[J"
    /// What puts the terminal back the way mg found it (cursor visible, no pending sync block).
    static let restoreSequence = endSync + showCursor

    /// The panel lines on screen now.
    private(set) var drawn: [String] = []
    /// The terminal width the panel was drawn at (`nil`: unknown, assumed unchanged).
    private var drawnWidth: Int?
    private var cursorHidden = false

    /// The bytes that show `log` above the panel and update the panel to `panel`, for a terminal
    /// `width` columns wide; empty when nothing changed.
    ///
    /// After the terminal got narrower, lines drawn at the old width may have been re-wrapped
    /// onto several rows (most terminals reflow on resize), so the cursor goes up by the rows they
    /// take now, and the whole panel is redrawn below.
    mutating func draw(panel: [String], log: [String] = [], width: Int? = nil) -> String {
        let resized = width != nil && drawnWidth != nil && width != drawnWidth
        if panel == drawn && log.isEmpty && !resized { return "" }
        var out = Self.beginSync
        if !cursorHidden {
            out += Self.hideCursor
            cursorHidden = true
        }
        if !drawn.isEmpty {
            let rows = resized ? drawn.reduce(0) { $0 + Self.rows($1, width: width ?? 80) } : drawn.count
            out += "\r\u{1B}[\(rows)A"
        }
        drawnWidth = width ?? drawnWidth
        if !log.isEmpty || drawn.isEmpty || resized {
            // History scrolls above: clear the old panel, print it, then the whole panel again.
            if !drawn.isEmpty || !log.isEmpty || resized { out += Self.clearBelow }
            for line in log { out += line + "\n" }
            for line in panel { out += line + "\n" }
        } else {
            for (index, line) in panel.enumerated() {
                if index < drawn.count, drawn[index] == line {
                    out += "\n"  // unchanged: step over it
                } else {
                    out += "\r" + Self.clearLine + line + "\n"
                }
            }
            if panel.count < drawn.count { out += Self.clearBelow }
        }
        out += Self.endSync
        drawn = panel
        return out
    }

    /// The bytes that leave the last panel on screen as it is and show the cursor again.
    mutating func finish() -> String {
        guard cursorHidden else { return "" }
        cursorHidden = false
        return Self.showCursor
    }

    /// Rows `line` takes on a terminal `width` columns wide (at least one).
    static func rows(_ line: String, width: Int) -> Int {
        let columns = DisplayWidth.columns(line)
        return max(1, (columns + max(1, width) - 1) / max(1, width))
    }

    /// The width of the terminal on `descriptor` (80 when it cannot be read).
    static func width(of descriptor: Int32) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
