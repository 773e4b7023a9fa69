import CodingAgent
import Foundation
import GitWorkspace
import Synchronization

/// The `SessionRecorder` that persists one turn of a session into the `SessionStore`: every
/// `SessionChange` becomes committed rows before `record` returns (so before the orchestrator
/// acts on it); transcripts go to `<session>/transcripts/<agent>.turn<N>.jsonl` and, through
/// `eventSink(forwardingTo:)`, events to `<session>/events.jsonl`.
///
/// A turn is one `CodingOrchestrator.run`; its run id names the agent branches
/// (`massgen/<run>/<agent>`). The first turn's run id is the session id; later turns use
/// `<session>-t<N>` (`runID(session:turn:)`) so their branches never collide with earlier ones.
///
/// Every write blocks until it is on disk (SQLite `synchronous=FULL`, fsync'd JSONL), so the actor
/// runs on its own `BlockingSerialExecutor`, never on the cooperative pool.
public actor StoreSessionRecorder: SessionRecorder {
    nonisolated let executor = BlockingSerialExecutor(label: "mg.session-recorder")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// The store written to.
    public nonisolated let store: SessionStore
    /// The turn number (1-based).
    public nonisolated let turn: Int
    /// The user's task for this turn as typed (the orchestrator may receive it with history prepended).
    public nonisolated let task: String
    /// True when this turn starts the session (`beginSession`); otherwise the session is reopened.
    public nonisolated let startsSession: Bool
    /// The turn's attachments (session copies, by reference), recorded with the user's message.
    public nonisolated let media: [MediaReference]
    nonisolated let layout: ProjectLayout

    /// The store's session id (for a new session: the orchestrator's, known once it started).
    public private(set) var session: String?
    private var run: String?
    private var agents: [AgentRecord] = []
    private var summaries: [String: String] = [:]
    private var operation: OperationRecord?
    private var mergeMode: MergeMode?
    private var refusal: String?
    private var files: [String: JSONLinesFile] = [:]

    /// The session id for journals (set once the session started; read from blocking work).
    private let journalSession = Mutex<String?>(nil)

    /// A recorder for turn `turn` of `session`; `session: nil` starts a new session whose id is
    /// the orchestrator's (`mg fix`).
    public init(
        store: SessionStore, layout: ProjectLayout, session: String? = nil, turn: Int = 1, task: String,
        startsSession: Bool = true, media: [MediaReference] = []
    ) {
        self.media = media
        self.store = store
        self.layout = layout
        self.session = session
        self.turn = turn
        self.task = task
        self.startsSession = startsSession
    }

    /// Opens the store of the repository at `repositoryRoot` and makes a recorder starting a new session.
    public static func forNewSession(repositoryRoot: String, task: String) throws(SessionStoreError)
        -> StoreSessionRecorder
    {
        let layout = ProjectLayout(repositoryRoot: repositoryRoot)
        return StoreSessionRecorder(store: try SessionStore.open(layout: layout), layout: layout, task: task)
    }

    /// The run id (branch namespace) of turn `turn` of `session`.
    public static func runID(session: String, turn: Int) -> String {
        RunID(session: session, turn: turn).description
    }

    public nonisolated func journal(for operation: OperationRecord) -> TransactionJournal {
        store.journal(for: operation, session: journalSession.withLock { $0 }, turn: turn)
    }

    public nonisolated func transcriptRecorder(for agent: String) -> any TranscriptRecorder {
        ForwardingTranscript(owner: self, name: "transcripts/\(agent).turn\(turn)")
    }

    /// A sink that logs every event to `events.jsonl` and passes it on to `downstream`.
    public nonisolated func eventSink(forwardingTo downstream: any EventSink) -> any EventSink {
        StoreEventSink(owner: self, downstream: downstream)
    }

    /// Appends `value` to the session folder's file `name` + `.jsonl` (fsync'd); dropped before
    /// the session id is known, reported on stderr when the disk refuses.
    func append<T: Encodable & Sendable>(_ value: T, to name: String) {
        guard let session else { return }
        do {
            let file: JSONLinesFile
            if let open = files[name] {
                file = open
            } else {
                file = try JSONLinesFile(
                    path: SessionFolder(layout: layout, session: session).path + "/\(name).jsonl")
                files[name] = file
            }
            try file.append(value)
        } catch {
            FileHandle.standardError.write(Data("mg: \(error)\n".utf8))
        }
    }

    public func record(_ change: SessionChange) async throws {
        if case .started = change {
        } else if session == nil {
            throw SessionStoreError.notFound(what: "the session of this recorder (it has not started)")
        }
        let session = self.session ?? ""
        switch change {
        case .started(let start):
            run = start.session
            agents = start.agents
            let session = self.session ?? start.session
            self.session = session
            journalSession.withLock { $0 = session }
            if startsSession {
                try store.beginSession(
                    SessionRecord(
                        id: session, repository: start.repositoryRoot, task: task, startedAt: start.date,
                        baseCommit: start.base.commit.hex, targetRef: start.base.targetRef,
                        mergeMode: start.mergeMode.rawValue))
            } else {
                try store.resumeSession(session)
            }
            try store.beginTurn(
                TurnRecord(
                    session: session, number: turn, task: task, baseCommit: start.base.commit.hex,
                    startedAt: start.date))
            try store.recordBallotSeed(session: session, turn: turn, seed: start.ballotSeed)
            try store.appendConversation(
                ConversationEntry(session: session, turn: turn, role: .user, text: task, media: media))
        case .worktreesPlanned(let worktrees):
            for worktree in worktrees {
                let agent = agents.first { $0.id == worktree.agent }
                try store.recordAgent(
                    StoredAgent(
                        session: session, turn: turn, agent: worktree.agent,
                        anonymousID: agent?.anonymousID ?? worktree.agent, backendType: agent?.backend,
                        model: agent?.model, branch: worktree.branch, worktreePath: worktree.path))
            }
        case .answerAccepted(let answer):
            summaries[answer.agent] = answer.summary
            var iteration = IterationRecord(
                session: session, turn: turn, agent: answer.agent, number: answer.iteration,
                commitID: answer.commit.hex, summary: answer.summary)
            iteration.changedTests = answer.changedTests
            iteration.noChange = answer.noChange
            try store.recordIteration(iteration)
        case .answerAdopted:
            // The adoption is an ordinary commit on the adopter's branch; events.jsonl has the detail.
            break
        case .baseline(let evidence):
            try store.recordTestResult(
                Self.testResult(evidence, session: session, turn: turn, agent: "", commit: "", kind: "baseline"))
        case .testEvidence(let record):
            try store.recordTestResult(
                Self.testResult(
                    record.evidence, session: session, turn: turn, agent: record.agent, commit: record.commit.hex,
                    kind: record.kind.rawValue))
        case .ballotShown(let order):
            try store.recordBallotOrder(
                session: session,
                order: StoredBallotOrder(turn: turn, agent: order.agent, serial: order.serial, shown: order.order))
        case .answerDiff(let diff):
            try store.updateIterationStats(
                session: session, turn: turn, agent: diff.agent, number: diff.iteration,
                filesChanged: diff.againstBase.filesChanged, insertions: diff.againstBase.insertions,
                deletions: diff.againstBase.deletions)
        case .vote(let vote):
            var stored = StoredVote(
                session: session, turn: turn, round: 1, voter: vote.voter, target: vote.target,
                reason: vote.reason, ignored: !vote.counted)
            stored.targetPassed = vote.targetPassed
            try store.recordVote(stored)
        case .usage(let entry):
            try store.recordUsage(
                UsageRecord(
                    session: session, turn: turn, agent: entry.agent,
                    model: agents.first { $0.id == entry.agent }?.model, inputTokens: entry.usage.inputTokens,
                    outputTokens: entry.usage.outputTokens, cachedInputTokens: entry.usage.cachedInputTokens,
                    costUSD: entry.costUSD))
        case .roundFinished(let round):
            if let decision = round.decision {
                try store.recordDecision(session: session, turn: turn, decision: decision)
            }
            try store.recordRanking(
                session: session, turn: turn, round: 1, reason: round.reason.rawValue, ranking: round.ranking)
            if let similarity = round.similarity {
                try store.recordSimilarity(
                    StoredSimilarity(
                        session: session, turn: turn, round: 1, label: similarity.label,
                        agents: similarity.anonymousIDs, matrix: similarity.values))
            }
        case .mergeStarting(let agent, _, let mode):
            mergeMode = mode
            try store.noteMergeStarting(session: session, turn: turn, winner: agent, mode: mode.rawValue)
        case .merged(let record):
            operation = record
            guard let record else { return }
            try store.noteMergeLanded(session: session, turn: turn, how: OperationLogEntry.kindName(record.kind))
        case .mergeRefused(let reason, _):
            // The merge's transaction withdrew its journal entry: nothing of it landed.
            refusal = reason
        case .finished(let finish):
            try store.recordAgentFailures(session: session, turn: turn, failures: finish.agentFailures)
            try finishTurn(finish)
        }
    }

    private func finishTurn(_ finish: SessionFinishRecord) throws {
        let session = self.session ?? ""
        let status: SessionStatus =
            switch finish.outcome {
            case "success", "nothing_to_change": .finished
            case "merge_refused": .mergeRefused
            case "interrupted": .interrupted
            default: .failed
            }
        let answer = finish.winner.flatMap { summaries[$0] }
        let mergedCommit = operation.flatMap { $0.refUpdates.first?.new?.hex }
        let how: String? =
            if let operation { OperationLogEntry.kindName(operation.kind) } else if refusal != nil {
                "refused"
            } else {
                mergeMode.map { $0 == .none ? "none" : "empty" }
            }
        try store.finishTurn(
            session: session, turn: turn, status: status, winner: finish.winner, answer: answer,
            mergedCommit: mergedCommit, mergeHow: how, at: finish.date)
        if let winner = finish.winner {
            var text = "Winner \(winner): \(answer ?? "(no summary)")"
            let branch = AgentWorktree.branchName(session: run ?? session, agent: winner)
            if finish.outcome == "nothing_to_change" {
                text += "\nNothing to change: the base's tests pass and the chosen answer changes nothing."
            } else if let operation {
                text += "\nMerged: \(operation.summary)."
            } else if let refusal {
                text += "\nNot merged (refused: \(refusal)); the change stays on \(branch)."
            } else {
                text += "\nNot merged; the change stays on \(branch)."
            }
            try store.appendConversation(
                ConversationEntry(session: session, turn: turn, role: .assistant, text: text))
        }
        try store.finishSession(session, status: status, winner: finish.winner, at: finish.date)
    }
}

extension StoreSessionRecorder {
    /// The stored row of one test run.
    static func testResult(
        _ evidence: TestEvidence, session: String, turn: Int, agent: String, commit: String, kind: String
    ) -> TestResultRecord {
        var record = TestResultRecord(
            session: session, turn: turn, agent: agent, commitID: commit, passed: evidence.passed,
            passedCount: evidence.passedCount ?? 0, failedCount: evidence.failedCount ?? 0,
            failingNames: evidence.failedTests, outputTail: evidence.outputTail,
            durationSeconds: Double(evidence.durationMilliseconds) / 1000)
        record.kind = kind
        record.command = evidence.command
        record.passingNames = evidence.passedTests
        return record
    }
}

/// Forwards an agent's transcript entries to its recorder's session folder.
struct ForwardingTranscript: TranscriptRecorder {
    let owner: StoreSessionRecorder
    let name: String

    func record(_ entry: TranscriptEntry) async {
        await owner.append(entry, to: name)
    }
}

/// Logs every event to the session's `events.jsonl`, then passes it on.
struct StoreEventSink: EventSink {
    let owner: StoreSessionRecorder
    let downstream: any EventSink

    func emit(_ event: SessionEvent) async {
        await owner.append(event, to: "events")
        await downstream.emit(event)
    }
}
