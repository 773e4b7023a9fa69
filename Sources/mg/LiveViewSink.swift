import CodingAgent
import Foundation
import Voting

/// Where `mg fix` sends session events: JSON lines on stdout with `--json`, and for people
/// either the live panel (a terminal), plain timestamped lines (piped, CI, hooks), or nothing
/// (`--quiet`). Human output goes to stdout, or to stderr under `--json`.
actor LiveViewSink: EventSink {
    /// How people see the session.
    enum Mode: Sendable, Equatable {
        /// The in-place panel with history lines above it.
        case live
        /// One timestamped line per event, no escape codes.
        case plain
        /// Nothing (`--quiet`): only the result is printed.
        case silent
    }

    let mode: Mode
    private let json: Bool
    private let descriptor: Int32
    private let color: Bool
    private let meters: [String: CostMeter]
    private var state: LiveViewState
    private var screen = TerminalScreen()
    private var collapser = RepeatedCallCollapser()
    private var clock: @Sendable () -> Date

    /// A sink for `agentIDs` (configuration order); `meters` give each agent's tokens and cost.
    /// `forcedMode` overrides the terminal detection (e.g. `.plain` inside `mg chat`'s prompt loop).
    init(
        console: Console, agentIDs: [String], meters: [String: CostMeter] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment, forcedMode: Mode? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        let output = console.json ? STDERR_FILENO : STDOUT_FILENO
        json = console.json
        descriptor = output
        if let forcedMode {
            mode = forcedMode
        } else {
            mode = Self.mode(console: console, descriptor: output, environment: environment)
        }
        color = console.color
        self.meters = meters
        self.clock = clock
        state = LiveViewState(agentIDs: agentIDs)
    }

    /// Live on a terminal unless in CI, a git hook, or a dumb terminal; plain otherwise; silent with `--quiet`.
    static func mode(console: Console, descriptor: Int32, environment: [String: String]) -> Mode {
        if console.quiet { return .silent }
        let ci = environment["CI"].map { !$0.isEmpty && $0 != "false" && $0 != "0" } ?? false
        guard isatty(descriptor) == 1, !ci, environment["MG_HOOK"] == nil, environment["TERM"] != "dumb"
        else {
            return .plain
        }
        return .live
    }

    func emit(_ event: SessionEvent) async {
        if json { Self.write(event.jsonLine() + "\n", to: STDOUT_FILENO) }
        switch mode {
        case .silent:
            return
        case .plain:
            guard let line = EventPrinter.line(event) else { return }
            for text in collapser.lines(for: event, line: line) { Self.write(text + "\n", to: descriptor) }
        case .live:
            state.apply(event)
            var history: [String] = []
            if EventPrinter.isHistory(event), let line = EventPrinter.line(event) {
                history.append(color ? "\u{1B}[2m\(line.prefix(8))\u{1B}[0m\(line.dropFirst(8))" : line)
            }
            redraw(log: history)
        }
    }

    /// A note from mg itself (e.g. "stopping after Ctrl-C"), shown like a history line.
    func note(_ text: String) {
        switch mode {
        case .silent: return
        case .plain: Self.write(text + "\n", to: descriptor)
        case .live: redraw(log: [color ? "\u{1B}[33m\(text)\u{1B}[0m" : text])
        }
    }

    /// Redraws changed lines (elapsed time, token and cost figures move between events).
    func tick() {
        guard mode == .live, !state.finished || screen.drawn.isEmpty else { return }
        redraw(log: [])
    }

    /// Draws the final panel and shows the cursor again.
    func finish() {
        if mode == .plain {
            let now = SessionEvent.timestamp(Date()).dropFirst(11).prefix(8)
            for text in collapser.flush(at: now) { Self.write(text + "\n", to: descriptor) }
        }
        guard mode == .live else { return }
        state.finished = true
        redraw(log: [])
        Self.write(screen.finish(), to: descriptor)
    }

    /// What the panel shows now (tests).
    var snapshot: LiveViewState { state }

    private func redraw(log: [String]) {
        for (agent, meter) in meters {
            state.setUsage(
                agent: agent, tokens: meter.totalUsage.inputTokens + meter.totalUsage.outputTokens,
                costUSD: meter.totalCostUSD)
        }
        // Read on every redraw (4 times a second at least), so a resized terminal is followed.
        let width = TerminalScreen.width(of: descriptor)
        let renderer = LiveViewRenderer(width: width, color: color)
        Self.write(screen.draw(panel: renderer.frame(state, now: clock()), log: log, width: width), to: descriptor)
    }

    /// Writes all of `text` to `descriptor` (no buffering: each update reaches the terminal whole).
    static func write(_ text: String, to descriptor: Int32) {
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
