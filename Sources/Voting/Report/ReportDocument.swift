import CodingAgent
import Foundation

/// Everything the session report and the live web view show, built from the session store alone
/// (`ReportBuilder`): the task and outcome with the rule that decided it, a timeline per agent,
/// each answer with its tests and diff, the votes, the similarity matrices, usage per agent and
/// the attachments. It encodes to the JSON the page's script renders.
public struct ReportDocument: Sendable, Hashable, Codable {
    /// The session.
    public var session: Session
    /// Its turns in order.
    public var turns: [Turn]
    /// When the document was built.
    public var generatedAt: Date
    /// True while the session runs (the page then follows its events).
    public var live: Bool

    /// The session's header facts.
    public struct Session: Sendable, Hashable, Codable {
        public var id: String
        /// `fix` or `review`.
        public var kind: String
        public var task: String
        public var status: String
        public var startedAt: Date
        public var endedAt: Date?
        public var mergeMode: String?
        public var costUSD: Double
    }

    /// One turn: a task, its agents, answers, votes and outcome.
    public struct Turn: Sendable, Hashable, Codable {
        public var number: Int
        /// The run id its events and branches carry (`<session>` or `<session>-t<N>`).
        public var run: String
        public var task: String
        public var status: String
        public var startedAt: Date
        public var endedAt: Date?
        /// Seconds from the turn's start to its end (or to the latest event while it runs).
        public var duration: Double
        public var baseCommit: String?
        public var outcome: Outcome
        public var agents: [Agent]
        public var lanes: [Lane]
        public var answers: [Answer]
        public var votes: [Vote]
        public var similarity: [Similarity]
        public var attachments: [Attachment]
        /// Set for `mg review` turns.
        public var review: Review?
    }

    /// How a turn ended and which rule decided it.
    public struct Outcome: Sendable, Hashable, Codable {
        public var winner: String?
        public var winnerAnonymousID: String?
        /// `merge:squash`, `merge:apply`, `refused`, `none`, `empty`, or `merging:<mode>`.
        public var mergeHow: String?
        public var mergedCommit: String?
        /// Why the round ended (`all_voted`, `timeout`, …).
        public var roundEnd: String?
        /// One sentence: who won and on which key.
        public var rule: String
        /// The ranking, winner first, as the tally stored it (every key it has, e.g. `votes`,
        /// `testsPassed`, `diffLines`, `decidedBy`); empty for sessions recorded before rankings were.
        public var ranking: [[String: JSONValue]]
    }

    /// One agent of a turn, with what it used.
    public struct Agent: Sendable, Hashable, Codable {
        public var id: String
        public var anonymousID: String
        public var backend: String?
        public var model: String?
        public var inputTokens: Int
        public var outputTokens: Int
        public var cachedTokens: Int
        public var costUSD: Double
        /// Seconds from the turn's start to the agent's last event.
        public var seconds: Double
        /// Why it stopped without finishing, when it failed.
        public var failure: String?
    }

    /// One agent's timeline: phases as segments, answers / tests / votes / restarts as marks.
    /// Times are seconds from the turn's start.
    public struct Lane: Sendable, Hashable, Codable {
        public var agent: String
        public var segments: [Segment]
        public var marks: [Mark]
    }

    /// A stretch of time in one phase (`thinking`, `tool`, `testing`, `voting`, `waiting`, `restarting`).
    public struct Segment: Sendable, Hashable, Codable {
        public var phase: String
        public var tool: String?
        public var start: Double
        public var end: Double
    }

    /// A moment: `answer`, `rejected`, `test`, `vote`, `restart`, `done`, `failed`.
    public struct Mark: Sendable, Hashable, Codable {
        public var kind: String
        public var at: Double
        public var label: String
    }

    /// One `new_answer`.
    public struct Answer: Sendable, Hashable, Codable {
        public var agent: String
        public var anonymousID: String
        public var iteration: Int
        public var commit: String
        public var summary: String
        public var accepted: Bool
        public var rejection: String?
        public var filesChanged: Int
        public var insertions: Int
        public var deletions: Int
        /// True for the winner's latest answer.
        public var winner: Bool
        public var test: Test?
        public var diff: Diff
    }

    /// A test run of one answer.
    public struct Test: Sendable, Hashable, Codable {
        public var passed: Bool
        public var passedCount: Int
        public var failedCount: Int
        public var failing: [String]
        public var seconds: Double
        /// The end of the output (at most a few thousand characters).
        public var outputTail: String
    }

    /// An answer's diff against the turn's base, per file, cut to the report's budget.
    public struct Diff: Sendable, Hashable, Codable {
        public var files: [DiffFile]
        /// Why lines are missing (shortened, or the commit is gone), `nil` when complete.
        public var note: String?
    }

    /// One file of a diff: lines start with `@` (hunk header), `+`, `-` or a space.
    public struct DiffFile: Sendable, Hashable, Codable {
        public var path: String
        /// `A`, `M`, `D`, `R`, `C`, `T`.
        public var status: String
        public var additions: Int
        public var deletions: Int
        public var binary: Bool
        public var lines: [String]
        /// Lines of this file left out to fit the budget.
        public var omittedLines: Int
    }

    /// A ballot: voter → answer (or, in a review, voter → verdict).
    public struct Vote: Sendable, Hashable, Codable {
        public var round: Int
        public var voter: String
        public var voterAnonymousID: String?
        /// The anonymous id voted for, or `approve` / `request_changes`.
        public var target: String
        /// The configured id behind `target`, when it is an agent.
        public var targetAgent: String?
        public var reason: String
        public var ignored: Bool
        /// Seconds from the turn's start.
        public var at: Double
    }

    /// A round's similarity matrix (WorkspaceDiffLogger) and its label.
    public struct Similarity: Sendable, Hashable, Codable {
        public var round: Int
        public var label: String
        public var agents: [String]
        public var matrix: [[Double]]
    }

    /// A file attached to the task; images small enough carry a `data:` URI thumbnail.
    public struct Attachment: Sendable, Hashable, Codable {
        public var path: String
        public var mime: String
        public var sha256: String
        public var bytes: Int?
        public var thumbnail: String?
    }

    /// A review turn: the change, the verdict, the merged findings.
    public struct Review: Sendable, Hashable, Codable {
        public var range: String
        public var baseCommit: String
        public var headCommit: String
        public var strict: Bool
        public var verdict: String?
        public var exitCode: Int?
        /// Findings merged across reviewers, most severe first.
        public var findings: [ReviewFinding]
        /// The change itself.
        public var diff: Diff
    }
}
