import Foundation

/// Where a session stands. `running` with a dead pid is reported as `interrupted`.
public enum SessionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// In progress (or its process died without saying so).
    case running
    /// Ended normally.
    case finished
    /// Ended without an acceptable answer.
    case failed
    /// Stopped by Ctrl-C, a crash or `kill -9`; resumable.
    case interrupted
    /// A winner was chosen but merge-back refused; the winner stays on its branch.
    case mergeRefused = "merge_refused"
    /// Read-only history imported from a MassGen `.massgen/` layout.
    case imported
    /// An interrupted session given up with `mg clean --session` (its branches keep the work).
    case discarded
}

/// One `mg fix` / `mg chat` session as stored.
public struct SessionRecord: Sendable, Hashable, Codable {
    /// Session id (also the `<session>` in worktree paths and branch names).
    public var id: String
    /// The repository's working tree root.
    public var repository: String
    /// When the session started.
    public var startedAt: Date
    /// When it ended; `nil` while running.
    public var endedAt: Date?
    /// Current status.
    public var status: SessionStatus
    /// The first turn's task.
    public var task: String
    /// The base commit of the first turn.
    public var baseCommit: String?
    /// The ref merge-back targets (e.g. `refs/heads/main`).
    public var targetRef: String?
    /// The merge mode asked for (`squash`, `apply`, `no-ff`, `none`).
    public var mergeMode: String?
    /// The latest turn's winning agent.
    public var winner: String?
    /// The mg process running it, so a dead `running` session can be told apart.
    public var pid: Int32?
    /// For imported sessions: the MassGen folder it came from (relative to `.massgen/`).
    public var legacyPath: String?

    /// Creates a record; `startedAt` defaults to now and `pid` to this process.
    public init(
        id: String, repository: String, task: String, startedAt: Date = Date(), endedAt: Date? = nil,
        status: SessionStatus = .running, baseCommit: String? = nil, targetRef: String? = nil,
        mergeMode: String? = nil, winner: String? = nil, pid: Int32? = ProcessInfo.processInfo.processIdentifier,
        legacyPath: String? = nil
    ) {
        self.id = id
        self.repository = repository
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.status = status
        self.task = task
        self.baseCommit = baseCommit
        self.targetRef = targetRef
        self.mergeMode = mergeMode
        self.winner = winner
        self.pid = pid
        self.legacyPath = legacyPath
    }
}

/// One turn of a session (a task and its rounds of answers and votes).
public struct TurnRecord: Sendable, Hashable, Codable {
    /// The session it belongs to.
    public var session: String
    /// 1-based turn number.
    public var number: Int
    /// The task of this turn.
    public var task: String
    /// The commit agents started from.
    public var baseCommit: String?
    /// The winning agent.
    public var winner: String?
    /// The commit merge-back produced (or the winner's commit when not merged).
    public var mergedCommit: String?
    /// How it landed: a merge mode, `refused`, or `none`.
    public var mergeHow: String?
    /// Where the turn stands (same values as sessions).
    public var status: SessionStatus
    /// The winning answer's text (summary), kept for the next turn's history.
    public var answer: String?
    /// When the turn started.
    public var startedAt: Date
    /// When it ended.
    public var endedAt: Date?
    /// For imported turns: the MassGen folder it came from.
    public var legacyPath: String?
    /// The seed of the turn's blind ballots (anonymous ids, answer orders), for replays.
    public var ballotSeed: UInt64?
    /// How the turn's winner was chosen, or why nothing landed.
    public var decision: Decision?

    /// Creates a turn record.
    public init(
        session: String, number: Int, task: String, baseCommit: String? = nil, winner: String? = nil,
        mergedCommit: String? = nil, mergeHow: String? = nil, status: SessionStatus = .running,
        answer: String? = nil, startedAt: Date = Date(), endedAt: Date? = nil, legacyPath: String? = nil
    ) {
        self.session = session
        self.number = number
        self.task = task
        self.baseCommit = baseCommit
        self.winner = winner
        self.mergedCommit = mergedCommit
        self.mergeHow = mergeHow
        self.status = status
        self.answer = answer
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.legacyPath = legacyPath
    }
}

/// One agent taking part in a turn.
public struct StoredAgent: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// The configured agent id.
    public var agent: String
    /// The id other agents see (`agent1`, …).
    public var anonymousID: String
    /// Backend type (`openai`, `claude`, `scripted`, …).
    public var backendType: String?
    /// Model name.
    public var model: String?
    /// Full branch ref of its worktree.
    public var branch: String?
    /// Its worktree folder.
    public var worktreePath: String?
    /// Why it gave no answer or left the round early (failed, timed out, out for the round).
    public var failure: String?

    /// Creates an agent record.
    public init(
        session: String, turn: Int, agent: String, anonymousID: String, backendType: String? = nil,
        model: String? = nil, branch: String? = nil, worktreePath: String? = nil
    ) {
        self.session = session
        self.turn = turn
        self.agent = agent
        self.anonymousID = anonymousID
        self.backendType = backendType
        self.model = model
        self.branch = branch
        self.worktreePath = worktreePath
    }
}

/// One `new_answer`: the commit it produced and whether it was accepted.
public struct IterationRecord: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// The agent that answered.
    public var agent: String
    /// 1-based answer number of that agent in the turn.
    public var number: Int
    /// The iteration commit.
    public var commitID: String
    /// Its parent commit.
    public var parentCommit: String?
    /// The answer's summary (commit message).
    public var summary: String
    /// Files changed against the base.
    public var filesChanged: Int
    /// Lines added against the base.
    public var insertions: Int
    /// Lines removed against the base.
    public var deletions: Int
    /// Whether the answer was accepted (`false`: e.g. not novel).
    public var accepted: Bool
    /// Why it was rejected.
    public var rejectionReason: String?
    /// When it was recorded.
    public var createdAt: Date
    /// Existing test files the answer modified or deleted ("changes tests").
    public var changedTests: [String] = []
    /// True when the answer changes nothing (it says nothing needs to change).
    public var noChange = false

    /// Creates an iteration record.
    public init(
        session: String, turn: Int, agent: String, number: Int, commitID: String, parentCommit: String? = nil,
        summary: String, filesChanged: Int = 0, insertions: Int = 0, deletions: Int = 0, accepted: Bool = true,
        rejectionReason: String? = nil, createdAt: Date = Date()
    ) {
        self.session = session
        self.turn = turn
        self.agent = agent
        self.number = number
        self.commitID = commitID
        self.parentCommit = parentCommit
        self.summary = summary
        self.filesChanged = filesChanged
        self.insertions = insertions
        self.deletions = deletions
        self.accepted = accepted
        self.rejectionReason = rejectionReason
        self.createdAt = createdAt
    }
}

/// One ballot.
public struct StoredVote: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// The voting round (1-based; a new answer starts a new round).
    public var round: Int
    /// The agent voting.
    public var voter: String
    /// The agent voted for.
    public var target: String
    /// The voter's reason.
    public var reason: String
    /// Whether the vote was discarded (e.g. cast before a newer answer).
    public var ignored: Bool
    /// When it was cast.
    public var createdAt: Date
    /// Whether the answer voted for passed its judged tests then (`nil`: untested or unknown).
    public var targetPassed: Bool?

    /// Creates a vote record.
    public init(
        session: String, turn: Int, round: Int, voter: String, target: String, reason: String,
        ignored: Bool = false, createdAt: Date = Date()
    ) {
        self.session = session
        self.turn = turn
        self.round = round
        self.voter = voter
        self.target = target
        self.reason = reason
        self.ignored = ignored
        self.createdAt = createdAt
    }
}
