import CodingAgent
import Foundation
import GitWorkspace

/// Persists a session as it runs (the SQLite session store implements it).
///
/// The orchestrator calls `record` BEFORE it makes the state change described — before it
/// creates worktrees, before an accepted answer becomes visible to other agents, before a vote
/// counts, before the merge touches the user's repository — so a crash leaves the store at least
/// as far along as the repository. Git objects (iteration commits) are written first because their
/// ids are only known afterwards; they live on agent branches and are harmless if unrecorded.
/// A thrown error is reported as an `error` event; the session carries on.
public protocol SessionRecorder: Sendable {
    /// Records one change.
    func record(_ change: SessionChange) async throws
    /// Where an agent's transcript goes (every model turn, tool call and result).
    func transcriptRecorder(for agent: String) -> any TranscriptRecorder
    /// The journal a merge of this session writes ahead (`RepositoryTransaction`); called from
    /// a blocking-work thread.
    func journal(for operation: OperationRecord) -> TransactionJournal
}

extension SessionRecorder {
    /// By default transcripts are dropped.
    public func transcriptRecorder(for agent: String) -> any TranscriptRecorder { DiscardingRecorder() }

    /// By default nothing is journalled.
    public func journal(for operation: OperationRecord) -> TransactionJournal { .none }
}

/// A recorder that stores nothing.
public struct NoopSessionRecorder: SessionRecorder {
    /// Creates the recorder.
    public init() {}
    public func record(_ change: SessionChange) async throws {}
}

/// A recorder that keeps every change in memory (tests).
public actor InMemorySessionRecorder: SessionRecorder {
    /// Changes recorded so far, in order.
    public private(set) var changes: [SessionChange] = []

    /// Creates an empty recorder.
    public init() {}

    public func record(_ change: SessionChange) async throws {
        changes.append(change)
    }
}

/// One state change of a session, in the order they happen.
public enum SessionChange: Sendable, Hashable, Codable {
    /// The session is starting: task, agents, settings, base snapshot.
    case started(SessionStartRecord)
    /// These worktrees are about to be created (paths and branches are known in advance).
    case worktreesPlanned([AgentWorktree])
    /// An answer is about to be published to the other agents (its commit already exists).
    case answerAccepted(AnswerRecord)
    /// An agent's worktree is about to be reset to another agent's answer.
    case answerAdopted(AdoptionRecord)
    /// The base's own test run (the baseline answers are compared with).
    case baseline(TestEvidence)
    /// Test evidence for an answer (its own tests, the base's tests on it, or a gate command).
    case testEvidence(EvidenceRecord)
    /// An agent's context was built with the other answers in this order (blind ballots).
    case ballotShown(BallotOrderRecord)
    /// Diffs of an accepted answer against the base and against the agent's previous answer.
    case answerDiff(AnswerDiffRecord)
    /// A vote is about to count (or was ignored, with the reason).
    case vote(VoteRecord)
    /// Tokens and cost of one model call.
    case usage(UsageEntry)
    /// The round ended: why, the tally, and the similarity of the answers.
    case roundFinished(RoundRecord)
    /// The winner is about to be merged with this mode.
    case mergeStarting(agent: String, commit: ObjectID, mode: MergeMode)
    /// The merge landed (its operation record lets `mg undo` revert it; `nil` when nothing changed).
    case merged(OperationRecord?)
    /// The merge was refused; everything stays on the agent branches.
    case mergeRefused(reason: String, hint: String)
    /// The session ended.
    case finished(SessionFinishRecord)
}

/// What a session started with.
public struct SessionStartRecord: Sendable, Hashable, Codable {
    /// Session id, e.g. `20261125-153012-ab12`.
    public var session: String
    /// The user's task.
    public var task: String
    /// Repository working tree root.
    public var repositoryRoot: String
    /// The base snapshot agents start from.
    public var base: BaseSnapshot
    /// Agents in configuration order.
    public var agents: [AgentRecord]
    /// The test command used for evidence (`nil`: none configured or detected).
    public var testCommand: String?
    /// The merge mode that will be used.
    public var mergeMode: MergeMode
    /// Voting sensitivity.
    public var votingSensitivity: VotingSensitivity
    /// When the session started.
    public var date: Date
    /// The seed of the blind ballots (anonymous ids, answer order), for replays.
    public var ballotSeed: UInt64 = 0
    /// How eligible answers were to be ordered.
    public var votingPolicy: VotingPolicy = .evidenceFirst
}

/// One configured agent.
public struct AgentRecord: Sendable, Hashable, Codable {
    /// Configured id.
    public var id: String
    /// Anonymous id other agents see (`agent1…`).
    public var anonymousID: String
    /// Model name.
    public var model: String
    /// Backend display name.
    public var backend: String
}

/// An accepted answer.
public struct AnswerRecord: Sendable, Hashable, Codable {
    /// Configured agent id.
    public var agent: String
    /// Anonymous id.
    public var anonymousID: String
    /// 1-based answer number of this agent.
    public var iteration: Int
    /// The iteration commit on the agent's branch.
    public var commit: ObjectID
    /// The agent branch (`refs/heads/massgen/<session>/<agent>`).
    public var branch: String
    /// The answer text (summary of the change).
    public var summary: String
    /// Session-wide answer number; votes cast before it are reset by it.
    public var serial: Int
    /// Existing test files the answer modified or deleted ("changes tests").
    public var changedTests: [String] = []
    /// True when the answer changes nothing (it says nothing needs to change).
    public var noChange = false
}

/// The order in which one agent saw the other answers when its context was built.
public struct BallotOrderRecord: Sendable, Hashable, Codable {
    /// The viewing agent's configured id.
    public var agent: String
    /// The answer serial the context was built at.
    public var serial: Int
    /// Anonymous ids, in the order shown.
    public var order: [String]
}

/// A worktree reset to another agent's answer ("build on it").
public struct AdoptionRecord: Sendable, Hashable, Codable {
    /// The agent that adopted.
    public var agent: String
    /// The configured id of the agent whose answer was adopted.
    public var source: String
    /// The adopted commit.
    public var sourceCommit: ObjectID
    /// The commit keeping the adopter's unfinished work, if it had any.
    public var savedWork: ObjectID?
    /// The new tip of the adopter's branch (same tree as `sourceCommit`).
    public var newTip: ObjectID
}

/// One test run about one answer.
public struct EvidenceRecord: Sendable, Hashable, Codable {
    /// Which run this is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The test command in the answer's worktree (its own tests).
        case answer
        /// The base's test files over the answer's code, in a scratch checkout.
        case baseTests = "base_tests"
        /// A gate command on the winner candidate.
        case gate
    }

    /// Configured agent id.
    public var agent: String
    /// The answer's commit.
    public var commit: ObjectID
    /// What the test run showed.
    public var evidence: TestEvidence
    /// Which run this is.
    public var kind: Kind = .answer
}

/// Diffs of one answer.
public struct AnswerDiffRecord: Sendable, Hashable, Codable {
    /// Configured agent id.
    public var agent: String
    /// Answer number.
    public var iteration: Int
    /// Base → answer.
    public var againstBase: DiffSummary
    /// Previous answer → answer (`nil` for a first answer).
    public var againstPrevious: DiffSummary?
}

/// A vote, counted or not.
public struct VoteRecord: Sendable, Hashable, Codable {
    /// The voter's configured id.
    public var voter: String
    /// The anonymous id voted for.
    public var target: String
    /// The voter's reason.
    public var reason: String
    /// False when the vote was ignored (the voter had not seen the latest answers).
    public var counted: Bool
    /// The answer serial the vote applies to.
    public var serial: Int
    /// Whether the answer voted for passed its judged tests when the vote was cast (`nil`: untested).
    public var targetPassed: Bool? = nil
}

/// Usage of one model call.
public struct UsageEntry: Sendable, Hashable, Codable {
    /// Configured agent id.
    public var agent: String
    /// Tokens used.
    public var usage: TokenUsage
    /// Cost in USD when priced.
    public var costUSD: Double?
}

/// The end of the coordination round.
public struct RoundRecord: Sendable, Hashable, Codable {
    /// Why it ended.
    public var reason: RoundEndReason
    /// The tally (winner first), empty when there were no answers.
    public var ranking: [TallyEntry]
    /// Pairwise similarity of the final answers and its label.
    public var similarity: SimilarityRecord?
    /// How the winner was chosen, or why nothing may land.
    public var decision: Decision? = nil
}

/// The decision of a round: which answer may land and why, in words for reports and logs.
public struct Decision: Sendable, Hashable, Codable {
    /// The anonymous id of the answer that lands (or that says nothing needs to change); `nil`
    /// when no answer passed the gate.
    public var winner: String?
    /// The rule that decided, e.g. "tests pass; ahead of agent3 on tests".
    public var rule: String
    /// Set when the evidence overruled the vote: "2 votes for agent2, whose tests fail; …".
    public var overruled: String?
    /// The base's own test run, when a test command ran.
    public var baseline: TestEvidence?
    /// The voting policy used.
    public var policy: VotingPolicy
}

/// How a session ended.
public struct SessionFinishRecord: Sendable, Hashable, Codable {
    /// The outcome kind (`success`, `nothing_to_change`, `no_acceptable_answer`, `no_eligible_answer`,
    /// `merge_refused`, `interrupted`).
    public var outcome: String
    /// The exit code.
    public var exitCode: Int
    /// The winner's configured id, if any.
    public var winner: String?
    /// Total spend in USD.
    public var costUSD: Double
    /// When it ended.
    public var date: Date
    /// Why agents gave no answer or left the round early, by configured id.
    public var agentFailures: [String: String] = [:]
}
