import Foundation

/// One thing that happened in a session, for live views, plain logs and `--json` output.
///
/// Every event serialises to one flat JSON object whose field names are part of mg's contract
/// (documented in docs/events.md): `event`, `session`, `time` always; the rest only when they
/// apply. New fields may be added; existing ones never change meaning.
public struct SessionEvent: Sendable, Hashable, Codable {
    /// What kind of event this is (the JSON `event` field).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// The session began: task, agents, base commit.
        case sessionStarted = "session_started"
        /// An agent changed phase (`phase`, and `tool` when the phase is a tool).
        case agentState = "agent_state"
        /// An agent called a tool (`tool`, `detail`).
        case toolCall = "tool_call"
        /// An answer was accepted (`accepted: true`, `iteration`, `commit`) or rejected (`reason`).
        case answer
        /// The base's own test run, which answers are compared with (`passed`, `failed_tests`).
        case baseline
        /// Test evidence for an answer (`passed`, `passed_count`, `failed_tests`, `changes_tests`, …).
        case testResult = "test_result"
        /// A vote was counted (`accepted: true`) or ignored/refused (`reason`).
        case vote
        /// The round ended: `reason`, `winner`, `votes`, `similarity`.
        case roundFinished = "round_finished"
        /// The winner landed in the user's repository.
        case merged
        /// The merge was refused; `hint` says how to merge by hand.
        case mergeRefused = "merge_refused"
        /// Something failed; `message` says what.
        case error
        /// The session ended: `outcome`, `exit_code`.
        case sessionFinished = "session_finished"
    }

    /// What an agent is doing (`agent_state` events).
    public enum Phase: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for the model.
        case thinking
        /// Running a tool (the `tool` field names it).
        case tool
        /// Its answer's tests are running.
        case testing
        /// Casting a vote.
        case voting
        /// Voted; waiting for the round to end or for new answers.
        case waiting
        /// Starting over with new answers in context.
        case restarting
        /// Finished for this session.
        case done
        /// Dropped: error, timeout, or no valid terminal tool.
        case failed
    }

    /// The kind (JSON `event`).
    public var kind: Kind
    /// The session id (JSON `session`).
    public var session: String
    /// When it happened (JSON `time`, ISO 8601 with milliseconds, UTC).
    public var time: Date
    /// The agent's configured id (JSON `agent`).
    public var agent: String?
    /// The agent's anonymous id as other agents see it, `agent1…` (JSON `anonymous_id`).
    public var anonymousID: String?
    /// Agent phase (JSON `phase`).
    public var phase: Phase?
    /// Tool name (JSON `tool`).
    public var tool: String?
    /// Short human-readable detail: tool arguments, answer summary, task (JSON `detail`).
    public var detail: String?
    /// Whether an answer or vote was accepted (JSON `accepted`).
    public var accepted: Bool?
    /// Why something was rejected, ignored, or ended (JSON `reason`).
    public var reason: String?
    /// Answer iteration number, 1-based per agent (JSON `iteration`).
    public var iteration: Int?
    /// A commit id (JSON `commit`).
    public var commit: String?
    /// A branch name (JSON `branch`).
    public var branch: String?
    /// Vote target as an anonymous id (JSON `target`).
    public var target: String?
    /// Whether the tests passed (JSON `passed`).
    public var passed: Bool?
    /// Passing test count when the runner's output says (JSON `passed_count`).
    public var passedCount: Int?
    /// Names of failing tests (JSON `failed_tests`).
    public var failedTests: [String]?
    /// Lines added + removed against the base (JSON `diff_lines`).
    public var diffLines: Int?
    /// The winner's configured agent id (JSON `winner`).
    public var winner: String?
    /// Votes per anonymous id (JSON `votes`).
    public var votes: [String: Int]?
    /// Convergence label of the round's answers: converged, mixed, diverse, single (JSON `similarity`).
    public var similarity: String?
    /// How to merge by hand after a refusal (JSON `hint`).
    public var hint: String?
    /// Error text (JSON `message`).
    public var message: String?
    /// Session outcome: success, nothing_to_change, no_acceptable_answer, no_eligible_answer,
    /// merge_refused, interrupted (JSON `outcome`).
    public var outcome: String?
    /// The exit code the CLI should use (JSON `exit_code`).
    public var exitCode: Int?
    /// Session spend so far in USD (JSON `cost_usd`).
    public var costUSD: Double?
    /// The answer modified or deleted existing test files (JSON `changes_tests`).
    public var changesTests: Bool?
    /// The answer changes nothing: it says nothing needs to change (JSON `no_change`).
    public var noChange: Bool?
    /// Whether the winner candidate passed the gate (JSON `eligible`).
    public var eligible: Bool?
    /// The rule that decided the round, or excluded an answer (JSON `rule`).
    public var rule: String?
    /// How the evidence overruled the vote, when it did (JSON `overruled`).
    public var overruled: String?
    /// The test command answers are judged by; absent when there is none (JSON `test_command`).
    public var testCommand: String?

    enum CodingKeys: String, CodingKey {
        case kind = "event", session, time, agent, anonymousID = "anonymous_id", phase, tool, detail,
            accepted, reason
        case iteration, commit, branch, target, passed, passedCount = "passed_count", failedTests =
            "failed_tests"
        case diffLines = "diff_lines", winner, votes, similarity, hint, message, outcome, exitCode =
            "exit_code"
        case costUSD = "cost_usd", changesTests = "changes_tests", noChange = "no_change", eligible, rule,
            overruled, testCommand = "test_command"
    }

    /// Creates an event of `kind` for `session` at `time` (now by default); set the other fields as needed.
    public init(_ kind: Kind, session: String, time: Date = Date(), agent: String? = nil) {
        self.kind = kind
        self.session = session
        self.time = time
        self.agent = agent
    }

    /// The event as one line of JSON (no trailing newline), keys sorted so lines diff cleanly.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(SessionEvent.timestamp(date))
        }
        guard let data = try? encoder.encode(self) else {
            return "{\"event\":\"error\",\"message\":\"unencodable event\"}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-25T15:30:12.345Z`.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}

/// Receives session events as they happen. The CLI renders them (live view, plain lines, JSON
/// lines); the orchestrator awaits each call, so a sink should return quickly.
public protocol EventSink: Sendable {
    /// Handles one event.
    func emit(_ event: SessionEvent) async
}

/// A sink that drops every event.
public struct DiscardingEventSink: EventSink {
    /// Creates the sink.
    public init() {}
    public func emit(_ event: SessionEvent) async {}
}

/// A sink that keeps every event in memory (tests, reports).
public actor CollectingEventSink: EventSink {
    /// Events received so far, in order.
    public private(set) var events: [SessionEvent] = []

    /// Creates an empty sink.
    public init() {}

    public func emit(_ event: SessionEvent) async {
        events.append(event)
    }

    /// Events of one kind, in order.
    public func events(of kind: SessionEvent.Kind) -> [SessionEvent] {
        events.filter { $0.kind == kind }
    }
}
