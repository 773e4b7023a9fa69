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
    private var cursorHidden = false

    /// The bytes that show `log` above the panel and update the panel to `panel`; empty when
    /// nothing changed.
    mutating func draw(panel: [String], log: [String] = []) -> String {
        if panel == drawn && log.isEmpty { return "" }
        var out = Self.beginSync
        if !cursorHidden {
            out += Self.hideCursor
            cursorHidden = true
        }
        if !drawn.isEmpty { out += "\r\u{1B}[\(drawn.count)A" }
        if !log.isEmpty || drawn.isEmpty {
            // History scrolls above: clear the old panel, print it, then the whole panel again.
            if !drawn.isEmpty || !log.isEmpty { out += Self.clearBelow }
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

    /// The width of the terminal on `descriptor` (80 when it cannot be read).
    static func width(of descriptor: Int32) -> Int {
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
