import CodingAgent
import Foundation
import GitWorkspace

/// The live coordination of one session: wraps `CoordinationState` in an actor and performs its
/// side effects — iteration commits, test evidence, diff logs, records, events, restarts.
///
/// Every change of the state runs in `serialized`: the change is recorded first (an `await` on
/// the session store), then applied, then published, with no other agent's change in between.
/// Reads (building an agent's context, checkpoint decisions) see a consistent state between
/// changes.
public actor SessionCoordinator {
    /// Everything fixed for the session.
    public struct Setup: Sendable {
        /// The session id.
        public var session: String
        /// The task.
        public var task: String
        /// The repository working tree root.
        public var repositoryRoot: String
        /// The base snapshot.
        public var base: BaseSnapshot
        /// Agents' configured ids in configuration order.
        public var agentIDs: [String]
        /// Agents' worktrees, same order.
        public var worktrees: [AgentWorktree]
        /// Answer limit per agent.
        public var maxNewAnswersPerAgent: Int?
        /// Session cost ceiling in USD.
        public var costCeilingUSD: Double?
        /// Bytes of each answer's diff kept for prompts.
        public var patchBudget: Int
        /// Media parts added to the context message of every agent run (start and restarts).
        public var attachments: [ContentPart] = []
        /// The blind ballots: anonymous ids and the order each agent sees the answers in.
        public var ballots: BallotPlan
        /// Which files are tests (judged by the base's versions, protected by default).
        public var testRules: TestFileRules
        /// Paths answers may not change.
        public var protection: ProtectedPaths
        /// The task may change tests: answers' own tests judge them.
        public var allowTestChanges = false
        /// How different a new answer must be from the other agents' current answers.
        public var answerNovelty: AnswerNovelty = .lenient
        /// The first accepted answer ends the round (`skip_coordination_rounds`).
        public var endAtFirstAnswer = false
        /// The agents' copies of the write context paths outside the repository.
        var contextCopies: ContextCopies? = nil
    }

    /// Why a waiting agent woke up.
    public enum Wake: Sendable, Hashable {
        /// New answers arrived: start again with them in context.
        case restart
        /// The round is over (or the wait was cancelled).
        case roundOver
    }

    let setup: Setup
    let events: SessionEvents
    let recorder: any SessionRecorder
    let evidence: EvidenceRunner
    let diffLogger: WorkspaceDiffLogger
    let contextBuilder: ContextBuilder
    /// The base's own test run.
    let baseline: BaselineRun

    var state: CoordinationState
    /// The baseline's result once it has finished (shown in contexts built after that).
    var baselineResult: TestEvidence?
    /// Latest accepted answer per agent.
    var answers: [AnswerSnapshot?]
    /// Tool calls of each agent's current turn (for the "one terminal call per turn" rule).
    var turnCalls: [[ToolCall]]
    /// Turn counter per agent and the last turn an invalid attempt was counted in.
    var turnNumber: [Int]
    var invalidTurn: [Int]
    /// Cost per agent in USD.
    var costs: [Double]
    var ended: [Bool]
    /// Agents whose backend could not be used at all, with the backend and the error.
    var unavailableBackends: [Int: String] = [:]

    private var serializerBusy = false
    private var serializerQueue: [CheckedContinuation<Void, Never>] = []
    private var voteWaiters: [Int: CheckedContinuation<Wake, Never>] = [:]
    private var roundWaiters: [CheckedContinuation<RoundEndReason, Never>] = []

    /// Creates the coordinator.
    public init(
        setup: Setup, events: SessionEvents, recorder: any SessionRecorder, evidence: EvidenceRunner,
        diffLogger: WorkspaceDiffLogger, contextBuilder: ContextBuilder, baseline: BaselineRun = .none
    ) {
        self.setup = setup
        self.events = events
        self.recorder = recorder
        self.evidence = evidence
        self.diffLogger = diffLogger
        self.contextBuilder = contextBuilder
        self.baseline = baseline
        let count = setup.agentIDs.count
        state = CoordinationState(
            agentIDs: setup.agentIDs, anonymousIDs: setup.ballots.anonymousIDs,
            maxAnswersPerAgent: setup.maxNewAnswersPerAgent)
        answers = Array(repeating: nil, count: count)
        turnCalls = Array(repeating: [], count: count)
        turnNumber = Array(repeating: 0, count: count)
        invalidTurn = Array(repeating: -1, count: count)
        costs = Array(repeating: 0, count: count)
        ended = Array(repeating: false, count: count)
    }

    // MARK: Serialization

    /// Runs `body` with no other state change interleaved.
    func serialized<T: Sendable>(_ body: () async -> T) async -> T {
        if serializerBusy {
            await withCheckedContinuation { serializerQueue.append($0) }
        } else {
            serializerBusy = true
        }
        let value = await body()
        if serializerQueue.isEmpty {
            serializerBusy = false
        } else {
            serializerQueue.removeFirst().resume()
        }
        publishEndIfNeeded()
        return value
    }

    /// Records `change`; a store failure becomes an `error` event, never a stopped session.
    func record(_ change: SessionChange) async {
        do {
            try await recorder.record(change)
        } catch {
            await events.emit(.error) { $0.message = "The session store could not record a change: \(error)" }
        }
    }

    // MARK: Runs, checkpoints, waiting

    /// What an agent starts a run with.
    public struct RunStart: Sendable {
        /// The conversation to start from.
        public var messages: [Message]
        /// Spend left under the session ceiling, if any.
        public var remainingBudgetUSD: Double?
    }

    /// Starts (or restarts) `agent`'s run with a context of the current answers; `nil` when the
    /// agent should stop (round over, out, or the cost ceiling reached).
    public func beginRun(_ agent: Int, restart: Bool) async -> RunStart? {
        await serialized {
            guard state.endReason == nil, state.isLive(agent) else { return nil }
            if let ceiling = setup.costCeilingUSD, totalCost >= ceiling {
                state.end(.costCeiling)
                return nil
            }
            state.beginRun(agent)
            return RunStart(
                messages: await contextMessages(for: agent, restart: restart),
                remainingBudgetUSD: setup.costCeilingUSD.map { $0 - totalCost })
        }
    }

    /// The checkpoint after each turn: stop when the round is over or the agent is out, restart
    /// when answers arrived since its context was built, else carry on.
    public func checkpoint(_ agent: Int) async -> CheckpointDecision {
        let decision: CheckpointDecision = await serialized {
            if let reason = state.endReason { return .stop(reason: "the round ended (\(reason.rawValue))") }
            if case .out(let reason) = state.agents[agent].status {
                return .stop(reason: "out for the round: \(reason)")
            }
            if let ceiling = setup.costCeilingUSD, totalCost >= ceiling {
                state.end(.costCeiling)
                return .stop(reason: "the session cost ceiling of $\(ceiling) is reached")
            }
            guard state.mustRestart(agent) else { return .proceed }
            state.beginRun(agent)
            return .restart(messages: await contextMessages(for: agent, restart: true))
        }
        if case .restart = decision { await events.phase(.restarting, agent: setup.agentIDs[agent]) }
        return decision
    }

    /// After a counted vote: waits until new answers arrive or the round ends.
    public func waitAfterVote(_ agent: Int) async -> Wake {
        if state.endReason != nil || !state.isLive(agent) { return .roundOver }
        if state.mustRestart(agent) { return .restart }
        await events.phase(.waiting, agent: setup.agentIDs[agent])
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: .roundOver)
                } else {
                    voteWaiters[agent] = continuation
                }
            }
        } onCancel: {
            Task { await self.wakeWaiter(agent, .roundOver) }
        }
    }

    private func wakeWaiter(_ agent: Int, _ wake: Wake) {
        voteWaiters.removeValue(forKey: agent)?.resume(returning: wake)
    }

    /// Wakes waiting voters who must restart.
    func wakeRestartingVoters() {
        for agent in Array(voteWaiters.keys) where state.mustRestart(agent) { wakeWaiter(agent, .restart) }
    }

    /// Ends the round for an outside reason (timeout, interruption).
    public func endRound(_ reason: RoundEndReason) async {
        await serialized { state.end(reason) }
    }

    /// Waits until the round has ended and returns why.
    public func waitForRoundEnd() async -> RoundEndReason {
        if let reason = state.endReason { return reason }
        return await withCheckedContinuation { roundWaiters.append($0) }
    }

    private func publishEndIfNeeded() {
        guard let reason = state.endReason else { return }
        for agent in Array(voteWaiters.keys) { wakeWaiter(agent, .roundOver) }
        let waiters = roundWaiters
        roundWaiters = []
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// `agent`'s runner has ended, with `failure` when it was dropped.
    /// An agent out for the round (repeated invalid answers or votes) is reported as failed too,
    /// with its reason: the session report must say why every agent gave no answer.
    public func agentEnded(_ agent: Int, failure: String?, unavailableBackend: String? = nil) async {
        if let unavailableBackend { unavailableBackends[agent] = unavailableBackend }
        let reason: String? = await serialized {
            ended[agent] = true
            if let failure { state.drop(agent, .failed(reason: failure)) }
            let reason = state.dropReason(agent)
            if ended.allSatisfy({ $0 }) { state.end(Task.isCancelled ? .interrupted : .noLiveAgents) }
            return reason
        }
        await events.phase(reason != nil ? .failed : .done, agent: setup.agentIDs[agent], reason: reason)
    }

    // MARK: Turns and usage

    /// The loop recorded an assistant turn with these tool calls (before running them).
    func noteTurn(_ agent: Int, calls: [ToolCall]) {
        turnNumber[agent] += 1
        turnCalls[agent] = calls
    }

    /// Records one model call's usage.
    func addUsage(_ agent: Int, usage: TokenUsage, costUSD: Double?) async {
        await record(.usage(UsageEntry(agent: setup.agentIDs[agent], usage: usage, costUSD: costUSD)))
        costs[agent] += costUSD ?? 0
    }

    /// Session spend so far.
    public var totalCost: Double { costs.reduce(0, +) }

    /// Agents that failed or are out for the round, with their reasons (from the state, so
    /// there is one record of why an agent left).
    public var agentFailures: [String: String] {
        var reasons: [String: String] = [:]
        for (index, id) in setup.agentIDs.enumerated() { reasons[id] = state.dropReason(index) }
        return reasons
    }

    /// One line per backend that could not be used, when every agent failed that way (a
    /// backend failure, exit 69); `nil` when any agent got further.
    public var backendFailure: [String]? {
        guard !setup.agentIDs.isEmpty, unavailableBackends.count == setup.agentIDs.count else { return nil }
        var lines: [String: [String]] = [:]
        for (index, line) in unavailableBackends { lines[line, default: []].append(setup.agentIDs[index]) }
        return lines.map { line, agents in "\(line) (agent\(agents.count == 1 ? "" : "s") \(agents.sorted().joined(separator: ", ")))" }
            .sorted()
    }

    /// The current answers in configuration order.
    public var currentAnswers: [AnswerSnapshot] { answers.compactMap { $0 } }

    /// Tools `agent` cannot use now, left out of its next request (small models call them
    /// anyway and lose turns): `vote`, `view_answer`, `adopt_answer` before any answer exists;
    /// once the agent has given its `max_new_answers_per_agent`, `new_answer` and the tools that
    /// change its worktree (a change it cannot submit is wasted): what is left is reading and
    /// voting.
    public func unusableTools(_ agent: Int) -> Set<String> {
        var hidden: Set<String> = answers.allSatisfy({ $0 == nil }) ? ["vote", "view_answer", "adopt_answer"] : []
        if let limit = state.maxAnswersPerAgent, state.agents[agent].answers.count >= limit {
            hidden.formUnion(["new_answer", "adopt_answer", "write_file", "edit_file", "run_command"])
        }
        return hidden
    }

    /// Counted votes per anonymous id.
    public var voteCounts: [String: Int] { state.voteCounts }

    /// A copy of the coordination state (tests, reports).
    public var snapshot: CoordinationState { state }

    /// Notes the baseline's result, for contexts built from now on.
    func noteBaseline(_ result: TestEvidence?) {
        baselineResult = result
    }

    /// The context `agent` (re)starts with: the other answers in its own shuffled order (blind
    /// ballots), recorded before the agent can see it.
    func contextMessages(for agent: Int, restart: Bool) async -> [Message] {
        let me = state.agents[agent].anonymousID
        let others = currentAnswers.map(\.anonymousID).filter { $0 != me }
        let order = setup.ballots.order(others, viewer: agent, serial: state.answerSerial)
        if !order.isEmpty {
            await record(
                .ballotShown(BallotOrderRecord(agent: setup.agentIDs[agent], serial: state.answerSerial, order: order)))
        }
        var messages = contextBuilder.messages(
            task: setup.task, me: me, answers: currentAnswers, order: order, restart: restart,
            baseline: baselineResult)
        // Every run starts from a fresh context, so the attachments go into each one, not only the first.
        if !setup.attachments.isEmpty, let first = messages.firstIndex(where: { $0.role == .user }) {
            messages[first].parts += setup.attachments
        }
        return messages
    }

    /// The "one terminal call per turn" rule: the problem with the current turn's calls, if any.
    func turnConflict(_ agent: Int) -> String? {
        let names = turnCalls[agent].map(\.name)
        let votes = names.filter { $0 == "vote" }.count
        let answers = names.filter { $0 == "new_answer" }.count
        if votes > 0 && answers > 0 {
            return "You called vote and new_answer in the same turn. Call exactly one of them."
        }
        if votes > 1 { return "You called vote more than once in the same turn. Vote once, for one answer." }
        if answers > 1 { return "You called new_answer more than once in the same turn. Submit one answer." }
        return nil
    }

    /// Counts an invalid attempt (once per turn) and builds the corrective result.
    func invalidAttempt(_ agent: Int, _ message: String) async -> ToolOutcome {
        var out = false
        if invalidTurn[agent] != turnNumber[agent] {
            invalidTurn[agent] = turnNumber[agent]
            out = await serialized { state.registerInvalidAttempt(agent, problem: message) }
        }
        if out {
            let id = setup.agentIDs[agent]
            await events.emit(.error, agent: id) {
                $0.message = "\(id) is out for the round after repeated invalid answers or votes."
            }
            return .failure(message + " You are out of this round.")
        }
        let left = state.maxInvalidAttempts - state.agents[agent].invalidAttempts
        return .failure(message + " (\(left) attempt(s) left before you are out of this round.)")
    }
}
