import Foundation
import GitWorkspace

/// The outcome of running the test command in one candidate's worktree.
public struct TestResultRecord: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// The agent whose answer was tested.
    public var agent: String
    /// The iteration commit tested.
    public var commitID: String
    /// Whether the command succeeded.
    public var passed: Bool
    /// Tests that passed (when the output could be counted).
    public var passedCount: Int
    /// Tests that failed.
    public var failedCount: Int
    /// Names of failing tests.
    public var failingNames: [String]
    /// The last lines of output.
    public var outputTail: String
    /// How long the command ran.
    public var durationSeconds: Double
    /// When it was recorded.
    public var createdAt: Date
    /// Which run: `baseline` (the base's own tests; `agent` is empty), `answer` (an answer's
    /// own tests), `base_tests` (the base's tests on an answer's code) or `gate` (a gate command).
    public var kind = "answer"
    /// The command that ran.
    public var command: String?
    /// Names of passing tests, when the output shows them.
    public var passingNames: [String] = []

    /// Creates a test result record.
    public init(
        session: String, turn: Int, agent: String, commitID: String, passed: Bool, passedCount: Int = 0,
        failedCount: Int = 0, failingNames: [String] = [], outputTail: String = "", durationSeconds: Double = 0,
        createdAt: Date = Date()
    ) {
        self.session = session
        self.turn = turn
        self.agent = agent
        self.commitID = commitID
        self.passed = passed
        self.passedCount = passedCount
        self.failedCount = failedCount
        self.failingNames = failingNames
        self.outputTail = outputTail
        self.durationSeconds = durationSeconds
        self.createdAt = createdAt
    }
}

/// A pairwise similarity matrix between agents' answers for one round.
public struct StoredSimilarity: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// The round.
    public var round: Int
    /// What was compared (e.g. `answers`, `diffs`).
    public var label: String
    /// Row / column order of `matrix`.
    public var agents: [String]
    /// `matrix[i][j]`: similarity of agents `i` and `j` in 0…1.
    public var matrix: [[Double]]
    /// When it was recorded.
    public var createdAt: Date

    /// Creates a similarity record.
    public init(
        session: String, turn: Int, round: Int, label: String, agents: [String], matrix: [[Double]],
        createdAt: Date = Date()
    ) {
        self.session = session
        self.turn = turn
        self.round = round
        self.label = label
        self.agents = agents
        self.matrix = matrix
        self.createdAt = createdAt
    }
}

/// Tokens and cost of one model call.
public struct UsageRecord: Sendable, Hashable, Codable {
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// The agent that made the call.
    public var agent: String
    /// The model called.
    public var model: String?
    /// Input tokens.
    public var inputTokens: Int
    /// Output tokens.
    public var outputTokens: Int
    /// Input tokens served from the provider's cache.
    public var cachedInputTokens: Int
    /// Cost in USD, when a price is known.
    public var costUSD: Double?
    /// When it was recorded.
    public var createdAt: Date

    /// Creates a usage record.
    public init(
        session: String, turn: Int, agent: String, model: String? = nil, inputTokens: Int, outputTokens: Int,
        cachedInputTokens: Int = 0, costUSD: Double? = nil, createdAt: Date = Date()
    ) {
        self.session = session
        self.turn = turn
        self.agent = agent
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.costUSD = costUSD
        self.createdAt = createdAt
    }
}

/// An entry of the operation log: one mg change to the user's repository, for `mg undo`.
public struct OperationLogEntry: Sendable, Hashable, Codable {
    /// Row id, the handle `markOperationUndone` takes.
    public var id: Int64
    /// The session that did it, if any.
    public var session: String?
    /// `merge:squash`, `merge:apply`, `merge:no-ff`, `merge:none` or `worktrees-removed`.
    public var kind: String
    /// One line for `mg undo --list`.
    public var summary: String
    /// Everything needed to revert it.
    public var record: OperationRecord
    /// Whether `mg undo` already reverted it.
    public var undone: Bool
    /// When it was logged.
    public var createdAt: Date
    /// When it was undone.
    public var undoneAt: Date?
    /// Where it stands in the journal.
    public var state: OperationState = .done
    /// For `rollbackFailed`: what went wrong and what may still hold the change.
    public var problem: String?
    /// The session's turn that made it (merge-backs of a session's turns).
    public var turn: Int?

    /// The stored kind string of an operation.
    public static func kindName(_ kind: OperationRecord.Kind) -> String {
        switch kind {
        case .merge(let mode): return "merge:" + mode.rawValue
        case .worktreesRemoved: return "worktrees-removed"
        case .branchesDeleted: return "branches-deleted"
        }
    }
}

/// Where an operation stands in the journal (the operation log).
public enum OperationState: String, Sendable, Hashable, Codable {
    /// Logged before anything changed; not (yet) known to have landed.
    case planned
    /// Landed (or, with `undone`, reverted).
    case done
    /// `mg undo` is reverting it.
    case undoing
    /// It failed half-way and could not be rolled back completely: `mg undo` repairs it.
    case rollbackFailed = "rollback_failed"
    /// Left as it was by `mg undo --skip` (counted as undone, so undo goes further back).
    case skipped
}

/// A file attached to a conversation message, stored by reference (never copied into the DB).
public struct MediaReference: Sendable, Hashable, Codable {
    /// Path of the file (repository-relative when inside the repository).
    public var path: String
    /// Lower-case hex SHA-256 of the content when recorded, so a changed file can be detected.
    public var sha256: String
    /// MIME type.
    public var mime: String

    /// Creates a media reference.
    public init(path: String, sha256: String, mime: String) {
        self.path = path
        self.sha256 = sha256
        self.mime = mime
    }
}

/// Who a conversation message is from.
public enum ConversationRole: String, Sendable, Hashable, Codable {
    /// The user's task or follow-up.
    case user
    /// The winning answer (summary, what was merged).
    case assistant
    /// Context mg added (e.g. "turn 1 was merged as abc123").
    case system
}

/// One message of a session's conversation history, restored by `mg continue`.
public struct ConversationEntry: Sendable, Hashable, Codable {
    /// Row id (0 until stored).
    public var id: Int64
    /// The session.
    public var session: String
    /// The turn.
    public var turn: Int
    /// Who said it.
    public var role: ConversationRole
    /// The text, with worktree paths normalized to repository-relative form.
    public var text: String
    /// Attached media, by reference.
    public var media: [MediaReference]
    /// When it was recorded.
    public var createdAt: Date

    /// Creates an entry.
    public init(
        session: String, turn: Int, role: ConversationRole, text: String, media: [MediaReference] = [],
        createdAt: Date = Date(), id: Int64 = 0
    ) {
        self.id = id
        self.session = session
        self.turn = turn
        self.role = role
        self.text = text
        self.media = media
        self.createdAt = createdAt
    }
}
