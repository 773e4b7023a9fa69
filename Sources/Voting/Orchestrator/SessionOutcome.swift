import GitWorkspace

/// How a session ended, typed so the CLI maps it to an exit code without parsing text.
public struct SessionOutcome: Sendable {
    /// The kind of ending.
    public enum Kind: Sendable, Hashable {
        /// The winner landed (or `--merge none`).
        case success
        /// The base's tests pass and the chosen answer changes nothing: nothing lands (exit 0).
        case nothingToChange
        /// No answer to pick; `agentErrors` says why each agent failed (exit 1).
        case noAcceptableAnswer
        /// Every agent failed because its backend could not be used (unreachable, credentials
        /// refused, out of quota, failing): one line per backend (exit 69).
        case backendUnavailable(lines: [String])
        /// Answers exist but none passed the gate; each ranking entry's `rule` says why, and
        /// every answer stays on its branch (exit 1).
        case noEligibleAnswer
        /// The winner could not land; it stays on its branch, `hint` says how to merge it (exit 2).
        case mergeRefused(reason: String, hint: String)
        /// Cancelled (Ctrl-C); agents' work is committed to their branches, the user's repo untouched (exit 130).
        case interrupted
    }

    /// The session id.
    public var session: String
    /// The kind of ending.
    public var kind: Kind
    /// The winning agent's configured id.
    public var winner: String?
    /// The winning commit, on `winnerBranch`.
    public var winnerCommit: ObjectID?
    /// The winner's branch (short name, `massgen/<session>/<agent>`).
    public var winnerBranch: String?
    /// The merge's operation record (`mg undo`), when something landed.
    public var operation: OperationRecord?
    /// The tally, winner first.
    public var ranking: [TallyEntry]
    /// Why the round ended.
    public var roundEnd: RoundEndReason?
    /// Each failed agent's configured id and what went wrong.
    public var agentErrors: [String: String]
    /// Total spend in USD.
    public var costUSD: Double
    /// The readable diff log.
    public var diffLogPath: String?
    /// Every agent in configuration order with the anonymous id others saw it under.
    public var agents: [(id: String, anonymousID: String)] = []
    /// How the winner was chosen (or why nothing may land).
    public var decision: Decision?
    /// Earlier turns of the session whose changes this turn's merge-back carries (they had
    /// stayed on their branches and this turn built on them).
    public var carriedTurns: [Int] = []

    /// The configured id behind an anonymous id of the ranking.
    public func agent(forAnonymousID anonymousID: String) -> String? {
        agents.first { $0.anonymousID == anonymousID }?.id
    }

    /// The process exit code: 0, 1, 2 or 130.
    public var exitCode: Int32 {
        switch kind {
        case .success, .nothingToChange: return 0
        case .noAcceptableAnswer, .noEligibleAnswer: return 1
        case .backendUnavailable: return 69
        case .mergeRefused: return 2
        case .interrupted: return 130
        }
    }

    /// `success`, `nothing_to_change`, `no_acceptable_answer`, `no_eligible_answer`,
    /// `merge_refused` or `interrupted` (events and records).
    public var kindName: String {
        switch kind {
        case .success: return "success"
        case .nothingToChange: return "nothing_to_change"
        case .noAcceptableAnswer: return "no_acceptable_answer"
        case .noEligibleAnswer: return "no_eligible_answer"
        case .backendUnavailable: return "backend_unavailable"
        case .mergeRefused: return "merge_refused"
        case .interrupted: return "interrupted"
        }
    }
}

/// Why a session could not start (before any agent ran); the user's repository is unchanged.
public enum OrchestratorError: Error, Sendable, CustomStringConvertible {
    /// A git step failed (lock, snapshot, worktrees).
    case git(GitWorkspaceError)
    /// The agent list is unusable.
    case invalidAgents(String)
    /// The session store could not record the session's start, so it did not start.
    case journalUnavailable(String)

    public var description: String {
        switch self {
        case .git(let error): return error.description
        case .invalidAgents(let message): return message
        case .journalUnavailable(let reason):
            return GitWorkspaceError.journalUnavailable(reason: reason).description
        }
    }
}
