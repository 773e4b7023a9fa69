import CodingAgent
import Foundation
import GitWorkspace

/// `mg review`: each configured agent reads a change in its own worktree at the change (read-only
/// tools plus `run_command`), sees the tests mg ran there, and calls `review_verdict`. The review
/// is recorded as a session (agents, votes = verdicts, tests, usage, findings, events), so
/// `mg report` shows it; worktrees are removed afterwards and their branches deleted when nothing
/// was committed on them.
public struct ReviewSession: Sendable {
    /// How the review runs.
    public struct Settings: Sendable {
        /// The test command run at the change (`.detect` by default).
        public var testCommand: OrchestratorSettings.TestCommand = .detect
        /// Require every reviewer to approve.
        public var strict = false
        /// The whole review's time limit.
        public var timeout: Duration = .seconds(1800)
        /// Model calls per reviewer.
        public var maxSteps = 40
        /// A fixed session id (tests); generated when `nil`.
        public var sessionID: String?
        /// Bytes of the diff put into each reviewer's prompt.
        public var patchBudget = 40_000

        /// Default settings.
        public init() {}
    }

    /// The repository's working tree root.
    public let repositoryRoot: String
    /// Where the review is recorded.
    public let store: SessionStore

    /// A review of the repository at `repositoryRoot`, recorded in `store`.
    public init(repositoryRoot: String, store: SessionStore) {
        self.repositoryRoot = repositoryRoot
        self.store = store
    }

    /// Reviews `target` with `agents`.
    public func run(
        _ target: ReviewTarget, agents: [AgentSpec], settings: Settings = Settings(),
        events sink: any EventSink = DiscardingEventSink()
    ) async throws -> ReviewOutcome {
        let root = repositoryRoot
        let layout = ProjectLayout(repositoryRoot: root)
        let session = settings.sessionID ?? OrchestratorSettings.generateSessionID()
        let ids = agents.map(\.id)
        let lock = try RepositoryLock(layout: layout, purpose: "mg review \(session)")
        defer { withExtendedLifetime(lock) {} }
        let folder = SessionFolder(layout: layout, session: session)
        let events = SessionEvents(session: session, sink: FileEventSink(file: try folder.eventLog(), downstream: sink))
        let task = "Review \(target.label)"
        try store.beginSession(
            SessionRecord(id: session, repository: root, task: task, baseCommit: target.base.hex))
        try store.beginTurn(TurnRecord(session: session, number: 1, task: task, baseCommit: target.base.hex))
        try store.beginReview(
            StoredReview(
                session: session, turn: 1, range: target.label, baseCommit: target.base.hex,
                headCommit: target.head.hex, strict: settings.strict))
        await events.emit(.sessionStarted) {
            $0.detail = task
            $0.commit = target.head.hex
        }
        let worktrees = try await BlockingWork.run { () throws(GitWorkspaceError) in
            try WorktreeManager(repositoryRoot: root).create(session: session, agents: ids, base: target.head)
        }
        for (index, (spec, worktree)) in zip(agents, worktrees).enumerated() {
            try store.recordAgent(
                StoredAgent(
                    session: session, turn: 1, agent: spec.id, anonymousID: CoordinationState.anonymousID(index: index),
                    backendType: spec.backend.displayName, model: spec.model, branch: worktree.branch,
                    worktreePath: worktree.path))
        }
        let patch = try await BlockingWork.run { () throws(GitWorkspaceError) in
            try Repository.open(at: root).diff(from: target.base, to: target.head).budgetedPatch(
                maxBytes: settings.patchBudget
            ).text
        }
        let command: String? =
            switch settings.testCommand {
            case .detect: TestCommandDetector.detect(in: root)
            case .command(let command): command
            case .none: nil
            }
        let evidence = EvidenceRunner(command: command, runner: CommandRunner())
        let reviewer = Reviewer(
            session: session, store: store, events: events, evidence: evidence, folder: folder, settings: settings,
            prompt: PromptLibrary.forProject(repositoryRoot: root).text(.review), target: target, patch: patch)
        let results = await withTaskGroup(of: (Int, Reviewer.Result).self) { group in
            for (index, (spec, worktree)) in zip(agents, worktrees).enumerated() {
                group.addTask { (index, await reviewer.review(spec, in: worktree)) }
            }
            var results: [Int: Reviewer.Result] = [:]
            for await (index, result) in group { results[index] = result }
            return results
        }
        await Self.cleanUp(worktrees, head: target.head, root: root)

        var reviews: [AgentReview] = []
        var unavailable: [String: String] = [:]
        var failed: [String: String] = [:]
        for index in agents.indices {
            switch results[index] {
            case .review(let review)?: reviews.append(review)
            case .unavailable(let reason)?: unavailable[ids[index]] = reason
            case .failed(let reason)?: failed[ids[index]] = reason
            case nil: failed[ids[index]] = "did not run"
            }
        }
        let decision = ReviewOutcome.decide(
            approvals: reviews.filter { $0.verdict == .approve }.count,
            requests: reviews.filter { $0.verdict == .requestChanges }.count, configured: agents.count,
            strict: settings.strict, anyUnavailable: !unavailable.isEmpty)
        let outcome = ReviewOutcome(
            session: session, range: target.label, baseCommit: target.base.hex, headCommit: target.head.hex,
            strict: settings.strict, verdict: decision.verdict, exitCode: decision.exitCode, reviews: reviews,
            unavailable: unavailable, failed: failed, findings: FindingMerger.merge(reviews.flatMap(\.findings)))
        try store.finishReview(session: session, turn: 1, verdict: decision.verdict, exitCode: Int(decision.exitCode))
        let status: SessionStatus = decision.verdict == nil ? .failed : .finished
        try store.finishTurn(session: session, turn: 1, status: status, answer: outcome.rendered())
        try store.finishSession(session, status: status)
        await events.emit(.sessionFinished) {
            $0.outcome = decision.verdict?.rawValue ?? (decision.exitCode == 69 ? "backend_unavailable" : "no_verdict")
            $0.exitCode = Int(decision.exitCode)
        }
        return outcome
    }

    /// Removes the reviewers' worktrees; a branch still at the change (nothing written) is deleted.
    static func cleanUp(_ worktrees: [AgentWorktree], head: ObjectID, root: String) async {
        _ = await BlockingWork.run { () -> Void in
            let manager = WorktreeManager(repositoryRoot: root)
            for worktree in worktrees {
                guard (try? manager.unlock(worktree)) != nil, let removal = try? manager.remove(worktree) else { continue }
                if removal.branchTip == head {
                    try? Repository.open(at: root).deleteReference(worktree.branch, expecting: head)
                }
            }
            manager.removeEmptySessionFolder(worktrees.first?.session ?? "")
        }
    }
}

/// Logs each event to the session's `events.jsonl` (fsync'd, off the cooperative pool), then
/// passes it on.
struct FileEventSink: EventSink {
    let file: JSONLinesFile
    let downstream: any EventSink

    func emit(_ event: SessionEvent) async {
        await BlockingWork.run { [file] in try? file.append(event) }
        await downstream.emit(event)
    }
}
