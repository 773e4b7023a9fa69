import Foundation
import Testing
import Voting

@testable import mg

/// Columns, not characters: wide (CJK, emoji) and zero-width text in the live panel, and a
/// panel that follows a terminal being resized.
@Suite struct TerminalWidthTests {
    @Test func columnsCountWideZeroWidthAndEscapes() {
        #expect(DisplayWidth.columns("abc") == 3)
        #expect(DisplayWidth.columns("日本語") == 6)
        #expect(DisplayWidth.columns("한국어") == 6)
        #expect(DisplayWidth.columns("ｆｕｌｌ") == 8)
        #expect(DisplayWidth.columns("e\u{301}") == 1)  // e + combining acute: one grapheme, one column
        #expect(DisplayWidth.columns("📎 ok") == 5)
        #expect(DisplayWidth.columns("✅") == 2)
        #expect(DisplayWidth.columns("❤️") == 2)  // text-default heart made emoji by VS16
        #expect(DisplayWidth.columns("✓ ✗ ● · … ▶") == 11)  // the panel's own symbols are narrow
        #expect(DisplayWidth.columns("\u{1B}[1;31mred\u{1B}[0m") == 3)
        #expect(DisplayWidth.prefix("日本語テキスト", columns: 5) == "日本")
        #expect(DisplayWidth.prefix("ab日", columns: 3) == "ab")
    }

    @Test func panelLinesWithWideSummariesFitTheWidth() {
        var state = LiveViewState(agentIDs: ["修正者", "guesser"])
        state.apply(SessionEvent(.sessionStarted, session: "s"))
        var answer = SessionEvent(.answer, session: "s", agent: "修正者")
        answer.accepted = true
        answer.iteration = 1
        answer.anonymousID = "agent1"
        answer.detail = "修正了登录测试在空密码时失败的问题，并补充了边界用例 🚀"
        state.apply(answer)
        for width in [24, 40, 61, 80, 120] {
            for color in [false, true] {
                let lines = LiveViewRenderer(width: width, color: color).frame(state, now: Date())
                for line in lines {
                    #expect(DisplayWidth.columns(line) < width, "width \(width): \(line)")
                }
            }
        }
        let wide = LiveViewRenderer(width: 120, color: false).frame(state, now: Date())
        #expect(wide.contains { $0.contains("修正了登录测试") })
    }

    @Test func aNarrowerTerminalMovesUpByTheRewrappedRowsAndRedrawsEverything() {
        var screen = TerminalScreen()
        let long = String(repeating: "x", count: 70)
        _ = screen.draw(panel: ["head", long, "tail"], width: 80)
        // Same width, same panel: nothing to do.
        #expect(screen.draw(panel: ["head", long, "tail"], width: 80).isEmpty)
        // Now 40 columns: the 70-column line takes two rows, so the panel is 4 rows high.
        let narrower = screen.draw(panel: ["head", "short", "tail"], width: 40)
        #expect(
            narrower
                == TerminalScreen.beginSync + "\r\u{1B}[4A" + TerminalScreen.clearBelow + "head\nshort\ntail\n"
                + TerminalScreen.endSync)
        // Wider again: every line fits on one row.
        let wider = screen.draw(panel: ["head", "short", "tail"], width: 100)
        #expect(wider.hasPrefix(TerminalScreen.beginSync + "\r\u{1B}[3A" + TerminalScreen.clearBelow))
        #expect(TerminalScreen.rows("日本語", width: 4) == 2)
        #expect(TerminalScreen.rows("", width: 4) == 1)
    }
}
