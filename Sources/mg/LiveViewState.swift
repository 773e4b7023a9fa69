import Foundation
import Voting

/// What the live view knows about a running session, built only from `SessionEvent`s (plus the
/// agents' token and cost figures, which the CLI reads from their cost meters). A pure value:
/// `apply` folds one event in, `LiveViewRenderer` turns it into lines.
struct LiveViewState: Sendable, Equatable {
    /// One agent's row.
    struct Agent: Sendable, Equatable {
        var id: String
        var anonymousID: String?
        /// `thinking`, a tool name, `testing`, `voting`, `waiting`, `restarting`, `done`, `failed`, or `starting`.
        var activity = "starting"
        var phase: SessionEvent.Phase?
        /// Accepted answers so far.
        var iteration = 0
        /// The latest answer's summary, or what the agent voted for.
        var summary = ""
        /// The latest answer's tests: passed, with counts when known.
        var testsPassed: Bool?
        var passedCount: Int?
        var failedCount = 0
        var tokens = 0
        var costUSD = 0.0
        var failure: String?
        /// The anonymous id this agent's counted vote went to (cleared when it restarts).
        var votedFor: String?
    }

    var session = ""
    var task = ""
    var startedAt: Date?
    var agents: [Agent]
    /// Accepted answers in the session.
    var answers = 0
    /// Counted votes per anonymous id (reset when a new answer arrives, as the rules do).
    var votes: [String: Int] = [:]
    /// The latest vote, as "voter → target: reason".
    var lastVote: String?
    /// Set when the round ended: "winner careful (all_voted)".
    var roundResult: String?
    /// Set when the merge step reported.
    var landing: String?
    /// The base's own test result, once known.
    var baseline: String?
    var finished = false

    /// A state listing `agentIDs` in configuration order (rows exist before their first event).
    init(agentIDs: [String]) {
        // Anonymous ids are drawn per session (blind ballots); each shows once the agent answers.
        agents = agentIDs.map { Agent(id: $0, anonymousID: nil) }
    }

    /// Folds `event` in.
    mutating func apply(_ event: SessionEvent) {
        if session.isEmpty { session = event.session }
        switch event.kind {
        case .sessionStarted:
            task = TaskInput.headline(event.detail ?? "")
            startedAt = event.time
        case .agentState:
            guard let name = event.agent, let phase = event.phase else { return }
            update(name) { agent in
                agent.phase = phase
                agent.activity = phase == .tool ? (event.tool ?? "tool") : phase.rawValue
                if phase == .failed { agent.failure = event.reason }
                if phase == .restarting { agent.votedFor = nil }
            }
        case .toolCall:
            guard let name = event.agent, let tool = event.tool else { return }
            update(name) { $0.activity = tool }
        case .answer:
            guard let name = event.agent, event.accepted == true else { return }
            answers += 1
            votes = [:]  // a new answer resets every vote
            for index in agents.indices { agents[index].votedFor = nil }
            update(name) { agent in
                agent.iteration = event.iteration ?? agent.iteration + 1
                agent.anonymousID = event.anonymousID ?? agent.anonymousID
                agent.summary = event.detail ?? ""
                agent.testsPassed = nil
                agent.passedCount = nil
                agent.failedCount = 0
            }
        case .baseline:
            baseline = event.passed == true ? "base: tests pass" : "base: tests fail"
        case .testResult:
            guard let name = event.agent, event.tool != "gate_command" else { return }
            update(name) { agent in
                agent.testsPassed = event.passed
                agent.passedCount = event.passedCount
                agent.failedCount = event.failedTests?.count ?? 0
            }
        case .vote:
            guard let name = event.agent, let target = event.target else { return }
            if event.accepted == true {
                votes[target, default: 0] += 1
                update(name) { $0.votedFor = target }
                lastVote = "\(name) → \(target): \(event.detail ?? "no reason given")"
            } else {
                lastVote = "\(name) → \(target) not counted: \(event.reason ?? "refused")"
            }
        case .roundFinished:
            if let counted = event.votes { votes = counted }
            let why = event.reason.map { " (\($0.replacingOccurrences(of: "_", with: " ")))" } ?? ""
            roundResult = event.winner.map { "winner \($0)\(why)" } ?? "no winner\(why)"
            if event.overruled != nil { roundResult? += "; evidence overruled the vote" }
        case .merged:
            landing = event.noChange == true ? "nothing to change" : "merged"
        case .mergeRefused:
            landing = "merge refused: \(event.reason ?? "")"
        case .error:
            guard let name = event.agent else { return }
            update(name) { $0.failure = event.message }
        case .sessionFinished:
            finished = true
        }
    }

    /// Sets an agent's running totals (read from its cost meter).
    mutating func setUsage(agent name: String, tokens: Int, costUSD: Double) {
        update(name) {
            $0.tokens = tokens
            $0.costUSD = costUSD
        }
    }

    /// Tokens of every agent.
    var totalTokens: Int { agents.reduce(0) { $0 + $1.tokens } }
    /// Spend of every agent.
    var totalCostUSD: Double { agents.reduce(0) { $0 + $1.costUSD } }

    private mutating func update(_ name: String, _ change: (inout Agent) -> Void) {
        if let index = agents.firstIndex(where: { $0.id == name }) {
            change(&agents[index])
        } else {
            var agent = Agent(id: name)
            change(&agent)
            agents.append(agent)
        }
    }
}
