/// Why the coordination round ended.
public enum RoundEndReason: String, Sendable, Hashable, Codable {
    /// Every live agent voted after the last new answer.
    case allVoted = "all_voted"
    /// The orchestrator timeout passed.
    case timeout
    /// No agent is left running (all failed, dropped, or out of budget).
    case noLiveAgents = "no_live_agents"
    /// The session's cost ceiling was reached.
    case costCeiling = "cost_ceiling"
    /// The session was cancelled (Ctrl-C).
    case interrupted
    /// The agents' worktrees could not be prepared; no tool ran and the session did not start.
    case setupFailed = "setup_failed"
    /// The first answer ended the round without voting (`skip_coordination_rounds`).
    case firstAnswer = "first_answer"
}

/// The MassGen coordination rules as a pure value: answers, votes, who must restart, who is
/// still in the round, and when the round ends. It does no I/O, so every rule is unit-tested
/// directly; `SessionCoordinator` wraps it in an actor and performs the side effects.
///
/// Restarts use serials rather than flags: every accepted answer bumps `answerSerial`, and each
/// agent remembers the serial its current context was built at. An agent must restart — and
/// its vote is ignored — exactly when it has not seen the latest answer.
public struct CoordinationState: Sendable, Hashable {
    /// Where an agent stands in the round.
    public enum Status: Sendable, Hashable {
        /// Working or waiting after a vote; counts for the round's end.
        case live
        /// Out for the round (invalid terminal tool calls) — its answers still count.
        case out(reason: String)
        /// Failed (error, timeout, no terminal tool) — its answers still count.
        case failed(reason: String)
    }

    /// One agent's coordination state.
    public struct Agent: Sendable, Hashable {
        /// Configured id.
        public var id: String
        /// `agent1…` in configuration order.
        public var anonymousID: String
        /// Accepted answers, oldest first.
        public var answers: [Int] = []
        /// The answer serial its current context was built at.
        public var contextSerial = 0
        /// Its vote, if cast after the last accepted answer.
        public var vote: Vote?
        /// Invalid terminal-tool attempts since its last (re)start.
        public var invalidAttempts = 0
        /// Live, out or failed.
        public var status: Status = .live
    }

    /// A counted vote.
    public struct Vote: Sendable, Hashable {
        /// Anonymous id voted for.
        public var target: String
        /// The voter's reason.
        public var reason: String
    }

    /// What happened to a vote.
    public enum VoteDecision: Sendable, Hashable {
        /// Counted.
        case counted
        /// Ignored: the voter has not seen the latest answers and will restart.
        case ignoredMustRestart
        /// Refused with a corrective message for the model.
        case invalid(String)
    }

    /// Agents in configuration order.
    public private(set) var agents: [Agent]
    /// Number of answers accepted so far in the session.
    public private(set) var answerSerial = 0
    /// Answers one agent may give (`max_new_answers_per_agent`); `nil` means no limit.
    public let maxAnswersPerAgent: Int?
    /// Invalid terminal-tool attempts corrected before an agent is out for the round.
    public let maxInvalidAttempts: Int
    /// Set once the round has ended.
    public private(set) var endReason: RoundEndReason?

    /// Creates the state for agents `ids` (configuration order) answering under `anonymousIDs`
    /// (the blind ballot's; by default `agent1…` in configuration order).
    public init(
        agentIDs ids: [String], anonymousIDs: [String]? = nil, maxAnswersPerAgent: Int? = nil,
        maxInvalidAttempts: Int = 3
    ) {
        let anonymous = anonymousIDs ?? ids.indices.map(Self.anonymousID(index:))
        agents = ids.enumerated().map {
            Agent(id: $0.element, anonymousID: anonymous[$0.offset])
        }
        self.maxAnswersPerAgent = maxAnswersPerAgent
        self.maxInvalidAttempts = maxInvalidAttempts
    }

    /// The anonymous id of the agent at configuration position `index` (0-based): `agent1…`.
    public static func anonymousID(index: Int) -> String { "agent\(index + 1)" }

    /// The index of the agent with configured id `id`.
    public func index(of id: String) -> Int? { agents.firstIndex { $0.id == id } }

    /// The index of the agent with anonymous id `anonymousID`.
    public func index(anonymous anonymousID: String) -> Int? {
        agents.firstIndex { $0.anonymousID == anonymousID }
    }

    /// Anonymous ids of agents that have at least one answer, sorted (never in configuration order).
    public var anonymousIDsWithAnswers: [String] {
        agents.filter { !$0.answers.isEmpty }.map(\.anonymousID)
        .sorted { ($0.count, $0) < ($1.count, $1) }
    }

    /// True when the agent's context predates the latest accepted answer.
    public func mustRestart(_ agent: Int) -> Bool { agents[agent].contextSerial < answerSerial }

    /// True when the agent still counts for the round's end.
    public func isLive(_ agent: Int) -> Bool { agents[agent].status == .live }

    /// The agent (re)starts with a context built now: it has seen every answer so far.
    public mutating func beginRun(_ agent: Int) {
        agents[agent].contextSerial = answerSerial
        agents[agent].invalidAttempts = 0
    }

    /// Why the agent may not give a new answer now, or `nil` when it may.
    public func answerRefusal(_ agent: Int) -> String? {
        if endReason != nil { return "The round is over; no more answers are accepted." }
        guard isLive(agent) else {
            return "You are out of this round; no more answers are accepted from you."
        }
        if let limit = maxAnswersPerAgent, agents[agent].answers.count >= limit {
            return
                "You already gave the maximum of \(limit) answer(s). Review the current answers and call vote for the best one."
        }
        return nil
    }

    /// Accepts a new answer: votes reset, every other agent must restart. Returns the new serial.
    /// Callers check `answerRefusal` first; a refused answer is not recorded.
    @discardableResult
    public mutating func acceptAnswer(_ agent: Int) -> Int {
        answerSerial += 1
        agents[agent].answers.append(answerSerial)
        for index in agents.indices { agents[index].vote = nil }
        updateEnd()
        return answerSerial
    }

    /// Applies the vote rules to a vote by `agent` for `target` (anonymous id).
    public mutating func castVote(_ agent: Int, target: String, reason: String) -> VoteDecision {
        if endReason != nil { return .invalid("The round is over; your vote was not needed.") }
        guard isLive(agent) else { return .invalid("You are out of this round; your vote does not count.") }
        if mustRestart(agent) { return .ignoredMustRestart }
        let withAnswers = anonymousIDsWithAnswers
        if withAnswers.isEmpty {
            return .invalid(
                "There are no answers to vote for yet. Work on the task and submit your change with new_answer."
            )
        }
        guard let targetIndex = index(anonymous: target), !agents[targetIndex].answers.isEmpty else {
            return .invalid(
                "\"\(target)\" is not an answer you can vote for. Vote for one of: \(withAnswers.joined(separator: ", "))."
            )
        }
        agents[agent].vote = Vote(target: target, reason: reason)
        updateEnd()
        return .counted
    }

    /// Counts an invalid terminal-tool attempt (`problem`: what was wrong with it); returns true
    /// when the agent is now out for the round, its reason naming the last problem.
    public mutating func registerInvalidAttempt(_ agent: Int, problem: String? = nil) -> Bool {
        agents[agent].invalidAttempts += 1
        guard agents[agent].invalidAttempts > maxInvalidAttempts else { return false }
        var reason = "more than \(maxInvalidAttempts) invalid new_answer/vote attempts"
        if let problem { reason += "; the last: " + problem }
        drop(agent, .out(reason: reason))
        return true
    }

    /// Why `agent` left the round early (out or failed), or `nil` while it is live.
    public func dropReason(_ agent: Int) -> String? {
        switch agents[agent].status {
        case .live: return nil
        case .out(let reason): return "out for the round: " + reason
        case .failed(let reason): return reason
        }
    }

    /// Takes the agent out of the round (failure or out); its answers stay candidates.
    public mutating func drop(_ agent: Int, _ status: Status) {
        guard isLive(agent) else { return }
        agents[agent].status = status
        agents[agent].vote = nil
        updateEnd()
    }

    /// Ends the round for an outside reason (timeout, cost ceiling, interruption); the first reason wins.
    public mutating func end(_ reason: RoundEndReason) {
        if endReason == nil { endReason = reason }
    }

    /// Counted votes per anonymous id (only ids that received votes).
    public var voteCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for agent in agents { if let vote = agent.vote { counts[vote.target, default: 0] += 1 } }
        return counts
    }

    private mutating func updateEnd() {
        guard endReason == nil else { return }
        let live = agents.indices.filter(isLive)
        if live.isEmpty {
            endReason = .noLiveAgents
            return
        }
        guard answerSerial > 0 else { return }
        // An agent at `max_new_answers_per_agent` can only vote (MassGen), so the limit ends the
        // round through these votes rather than cutting it short before anyone has judged.
        if live.allSatisfy({ agents[$0].vote != nil }) { endReason = .allVoted }
    }
}
