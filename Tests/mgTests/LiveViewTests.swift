import Foundation
import Testing
import Voting

@testable import mg

/// The live view as pure functions: events → state → frame lines (snapshots), and the
/// terminal updates that redraw only what changed.
@Suite struct LiveViewTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let session = "20270115-080000-ab12"

    static func event(
        _ kind: SessionEvent.Kind, _ agent: String? = nil, after seconds: Double = 0,
        _ fill: (inout SessionEvent) -> Void = { _ in }
    ) -> SessionEvent {
        var event = SessionEvent(kind, session: session, time: start.addingTimeInterval(seconds), agent: agent)
        fill(&event)
        return event
    }

    /// A session in the middle of its round: one answer tested, one agent in a tool, a vote cast.
    static var midRound: [SessionEvent] {
        [
            event(.sessionStarted) { $0.detail = "fix add" },
            event(.agentState, "fixer") { $0.phase = .thinking },
            event(.agentState, "guesser") { $0.phase = .tool; $0.tool = "run_command" },
            event(.answer, "fixer", after: 2) {
                $0.accepted = true; $0.iteration = 1; $0.anonymousID = "agent1"; $0.detail = "Fix add(): use +\nmore"
            },
            event(.agentState, "fixer", after: 2) { $0.phase = .testing },
            event(.testResult, "fixer", after: 3) { $0.passed = true; $0.passedCount = 2; $0.failedTests = [] },
            event(.agentState, "judge", after: 3) { $0.phase = .voting },
            event(.vote, "judge", after: 3) { $0.accepted = true; $0.target = "agent1"; $0.detail = "tests pass" },
            event(.agentState, "judge", after: 3) { $0.phase = .waiting },
        ]
    }

    static func state(_ events: [SessionEvent], usage: [String: (Int, Double)] = [:]) -> LiveViewState {
        var state = LiveViewState(agentIDs: ["fixer", "guesser", "judge"])
        for event in events { state.apply(event) }
        for (agent, figures) in usage { state.setUsage(agent: agent, tokens: figures.0, costUSD: figures.1) }
        return state
    }

    @Test func frameSnapshotMidRound() {
        let state = Self.state(Self.midRound, usage: ["fixer": (12_345, 0.0123), "judge": (800, 0.001)])
        let frame = LiveViewRenderer(width: 100, color: false).frame(state, now: Self.start.addingTimeInterval(4.25))
        #expect(
            frame == [
                "▶ mg 20270115-080000-ab12  4.2s  13.1k tok  $0.0133",
                "  ● fixer   testing        #1  ✓ 2/2   12.3k tok $0.0123  Fix add(): use +",
                "  ● guesser run_command                0 tok $0.0000",
                "  · judge   voted agent1               800 tok $0.0010",
                "  round: 1 answer · votes agent1 1 · last vote judge → agent1: tests pass",
            ])
    }

    @Test func roundEndAndMergeReplaceTheVoteLine() {
        var events = Self.midRound
        events.append(Self.event(.roundFinished, after: 5) { $0.reason = "all_voted"; $0.winner = "fixer"; $0.votes = ["agent1": 3] })
        events.append(Self.event(.merged, "fixer", after: 5) { $0.detail = "merge-back (squash)" })
        events.append(Self.event(.agentState, "fixer", after: 5) { $0.phase = .done })
        events.append(Self.event(.agentState, "guesser", after: 5) { $0.phase = .failed; $0.reason = "no tool call" })
        let frame = LiveViewRenderer(width: 100, color: false).frame(Self.state(events), now: Self.start.addingTimeInterval(75))
        #expect(frame[0] == "▶ mg 20270115-080000-ab12  1m15s  0 tok  $0.0000")
        #expect(frame[1].hasPrefix("  ✓ fixer   done           #1  ✓ 2/2"))
        #expect(frame[2].hasPrefix("  ✗ guesser failed") && frame[2].hasSuffix("failed: no tool call"))
        #expect(frame[4] == "  round: 1 answer · votes agent1 3 · winner fixer (all voted) · merged")
    }

    @Test func aNewAnswerResetsVotesAndRefusedVotesSayWhy() {
        var events = Self.midRound
        events.append(Self.event(.answer, "guesser", after: 6) { $0.accepted = true; $0.iteration = 1; $0.detail = "x" })
        events.append(Self.event(.vote, "fixer", after: 6) { $0.accepted = false; $0.target = "agent2"; $0.reason = "must restart" })
        let state = Self.state(events)
        #expect(state.votes.isEmpty && state.answers == 2)
        #expect(state.agents.allSatisfy { $0.votedFor == nil })
        let round = LiveViewRenderer(width: 120, color: false).roundLine(state)
        #expect(round == "  round: 2 answers · no votes · last vote fixer → agent2 not counted: must restart")
    }

    @Test func everyLineFitsTheWidthAndColourOnlyAddsEscapes() {
        let state = Self.state(Self.midRound, usage: ["fixer": (12_345, 0.0123)])
        for width in [20, 40, 60, 79, 100, 200] {
            let plain = LiveViewRenderer(width: width, color: false).frame(state, now: Self.start)
            let colored = LiveViewRenderer(width: width, color: true).frame(state, now: Self.start)
            #expect(plain.allSatisfy { $0.count < width }, "width \(width): \(plain)")
            #expect(!plain.joined().contains("\u{1B}"))
            #expect(colored.joined().contains("\u{1B}["))
            #expect(colored.map(Self.stripEscapes) == plain)
        }
    }

    @Test func screenRewritesOnlyChangedLinesInsideASyncBlock() {
        var screen = TerminalScreen()
        let first = screen.draw(panel: ["head", "a", "b"])
        #expect(first.hasPrefix(TerminalScreen.beginSync + TerminalScreen.hideCursor))
        #expect(first.hasSuffix("head\na\nb\n" + TerminalScreen.endSync))
        #expect(screen.draw(panel: ["head", "a", "b"]).isEmpty)  // nothing changed: no output at all
        let second = screen.draw(panel: ["head", "A", "b"])
        #expect(second == TerminalScreen.beginSync + "\r\u{1B}[3A" + "\n" + "\r\u{1B}[2KA\n" + "\n" + TerminalScreen.endSync)
        let shorter = screen.draw(panel: ["head"])
        #expect(shorter.hasSuffix("\n" + TerminalScreen.clearBelow + TerminalScreen.endSync))
        let withLog = screen.draw(panel: ["head", "z"], log: ["12:00:00 fixer: answer 1"])
        #expect(withLog == TerminalScreen.beginSync + "\r\u{1B}[1A" + TerminalScreen.clearBelow + "12:00:00 fixer: answer 1\nhead\nz\n" + TerminalScreen.endSync)
        #expect(screen.finish() == TerminalScreen.showCursor)
        #expect(screen.finish().isEmpty)
    }

    @Test func plainLinesCarryTheVoteReason() {
        let vote = Self.event(.vote, "judge") { $0.accepted = true; $0.target = "agent1"; $0.detail = "tests pass" }
        #expect(EventPrinter.describe(vote) == "judge votes for agent1: tests pass")
        #expect(EventPrinter.line(vote) == "08:00:00 judge votes for agent1: tests pass")
        let phase = Self.event(.agentState, "judge") { $0.phase = .thinking }
        #expect(EventPrinter.describe(phase) == nil)
    }

    @Test func plainOutputSumsUpRepeatedCalls() {
        var collapser = RepeatedCallCollapser()
        func feed(_ event: SessionEvent) -> [String] {
            collapser.lines(for: event, line: EventPrinter.line(event) ?? "")
        }
        let poll = { (seconds: Double) in
            Self.event(.toolCall, "hasty", after: seconds) { $0.tool = "list_files"; $0.detail = "{}" }
        }
        var out = feed(poll(0))
        for second in 1...3 { out += feed(poll(Double(second))) }
        out += feed(Self.event(.toolCall, "careful", after: 3) { $0.tool = "read_file"; $0.detail = "{\"path\":\"a\"}" })
        out += feed(Self.event(.answer, "hasty", after: 4) { $0.accepted = true; $0.iteration = 1; $0.anonymousID = "agent2" })
        out += feed(poll(5))
        out += feed(poll(6))
        out += feed(Self.event(.roundFinished, after: 7) { $0.reason = "all_voted" })
        #expect(
            out == [
                "08:00:00 hasty: list_files {}",
                "08:00:03 careful: read_file {\"path\":\"a\"}",
                "08:00:04 hasty: … the same call 3 more times, the last at 08:00:03",
                "08:00:04 hasty: answer 1 as agent2",
                "08:00:05 hasty: list_files {}",
                "08:00:07 hasty: … the same call 1 more time, the last at 08:00:06",
                EventPrinter.line(Self.event(.roundFinished, after: 7) { $0.reason = "all_voted" }) ?? "",
            ])
        #expect(collapser.flush(at: "08:00:08").isEmpty)
        // Lines stay in time order even when another agent printed after the last repeat.
        out = feed(poll(10)) + feed(poll(11))
        out += feed(Self.event(.toolCall, "careful", after: 12) { $0.tool = "read_file"; $0.detail = "{}" })
        out += feed(Self.event(.answer, "hasty", after: 13) { $0.accepted = true; $0.iteration = 2; $0.anonymousID = "agent2" })
        #expect(out[1...] == ["08:00:12 careful: read_file {}", "08:00:13 hasty: … the same call 1 more time, the last at 08:00:11", "08:00:13 hasty: answer 2 as agent2"])
    }

    static func stripEscapes(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
    }
}
