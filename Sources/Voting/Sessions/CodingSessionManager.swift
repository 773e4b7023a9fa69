import CodingAgent
import Foundation
import GitWorkspace

/// Multi-turn coding sessions over `CodingOrchestrator` and the `SessionStore`
/// (`mg fix`, `mg continue`, `mg continue --resume`, `mg chat`).
///
/// Each turn is one orchestrator run recorded by a `StoreSessionRecorder`. A later turn:
/// * starts from the previous turn's merged result (the working state, captured as usual) or,
///   when the previous winner was not merged, from the winner's commit (`startCommit`);
/// * gets the conversation so far (earlier tasks, winners' summaries, what was merged) prepended
///   to its task, with agent-worktree paths made repository-relative (`WorktreePathNormalizer`).
public struct CodingSessionManager: Sendable {
    /// The repository's working tree root.
    public let repositoryRoot: String
    /// The store.
    public let store: SessionStore
    /// `.massgen/` paths.
    public let layout: ProjectLayout

    /// One finished turn.
    public struct TurnResult: Sendable {
        /// The store's session id.
        public var session: String
        /// The turn number.
        public var turn: Int
        /// The run id (agent branches are `massgen/<run>/<agent>`).
        public var run: String
        /// What the orchestrator reported.
        public var outcome: SessionOutcome
    }

    /// A manager for the repository at `repositoryRoot` (its root), recording into `store`.
    public init(repositoryRoot: String, store: SessionStore) {
        self.repositoryRoot = repositoryRoot
        self.store = store
        self.layout = ProjectLayout(repositoryRoot: repositoryRoot)
    }

    /// Opens the store of the repository at `repositoryRoot` (its root).
    public static func open(repositoryRoot: String) throws(SessionStoreError) -> CodingSessionManager {
        CodingSessionManager(
            repositoryRoot: repositoryRoot,
            store: try SessionStore.open(layout: ProjectLayout(repositoryRoot: repositoryRoot)))
    }

    /// Runs the first turn of a new session. `attachments` are copied into the session's media
    /// folder, recorded with the task, and sent to every agent with it.
    public func start(
        task: String, attachments: TurnAttachments = .none, agents: [AgentSpec], settings: OrchestratorSettings,
        events: any EventSink = DiscardingEventSink()
    ) async throws -> TurnResult {
        var settings = settings
        var media: [MediaReference] = []
        if !attachments.isEmpty {
            // The media folder is per session, so the id must be known before the run starts.
            let session = settings.sessionID ?? OrchestratorSettings.generateSessionID()
            settings.sessionID = session
            let stored = try attachments.store(in: MediaLibrary(layout: layout, session: session))
            settings.attachments += stored.parts
            media = stored.references
        }
        let recorder = StoreSessionRecorder(store: store, layout: layout, task: task, media: media)
        let outcome = try await CodingOrchestrator().run(
            task: task, repositoryRoot: repositoryRoot, agents: agents, settings: settings,
            events: recorder.eventSink(forwardingTo: events), recorder: recorder)
        return TurnResult(session: outcome.session, turn: 1, run: outcome.session, outcome: outcome)
    }

    /// Runs the next turn of `session` (default: the latest session) on `task`.
    /// `attachments` join the earlier turns' attachments, which every agent receives again.
    public func continueSession(
        _ session: String? = nil, task: String, attachments: TurnAttachments = .none, agents: [AgentSpec],
        settings: OrchestratorSettings, events: any EventSink = DiscardingEventSink()
    ) async throws -> TurnResult {
        let record = try pick(session)
        let turns = try store.turns(of: record.id)
        var settings = settings
        if let previous = turns.last { settings.startCommit = try startCommit(after: previous) }
        if settings.startCommit != nil {
            // The turns since the last one that landed built on each other: land them together.
            let chain = Array(turns.reversed().prefix { !Self.landed($0) && $0.winner != nil }.reversed())
            if let first = chain.first, let base = first.baseCommit.flatMap(ObjectID.init(hex:)) {
                settings.landingBase = base
                settings.carriedTurns = chain.map(\.number)
            }
        }
        return try await runTurn(
            session: record.id, number: (turns.last?.number ?? 0) + 1, task: task, attachments: attachments,
            agents: agents, settings: settings, events: events)
    }

    /// Resumes an interrupted session: its last turn's worktrees are removed after committing
    /// their leftovers (the branches then hold all the work, logged as an undoable operation),
    /// and a new turn re-runs the same task from the same base, each agent starting from its
    /// interrupted branch's tip. The interrupted turn stays in the log as `interrupted`.
    public func resume(
        _ session: String? = nil, agents: [AgentSpec], settings: OrchestratorSettings,
        events: any EventSink = DiscardingEventSink()
    ) async throws -> TurnResult {
        let unfinished = try store.unfinishedSessions(persist: true)
        guard let target = session.map({ id in unfinished.first { $0.session.id == id } }) ?? unfinished.first
        else {
            if session == nil, try store.latestSession() != nil { throw SessionManagerError.nothingInterrupted }
            throw SessionManagerError.nothingToResume(session: session)
        }
        guard target.session.status == .interrupted else {
            throw SessionManagerError.stillRunning(session: target.session.id, pid: target.session.pid)
        }
        let turns = try store.turns(of: target.session.id)
        guard let interrupted = turns.last else {
            throw SessionManagerError.nothingToResume(session: session)
        }
        let cleaner = WorktreeCleaner(root: repositoryRoot, store: store)
        let layout = self.layout
        _ = try await BlockingWork.run { () throws -> WorktreeCleaner.Report in
            try cleaner.removeWorktrees(of: target, layout: layout)
        }
        var settings = settings
        let root = repositoryRoot
        let branches = target.agents.compactMap { agent in agent.branch.map { (agent.agent, $0) } }
        let baseHex = interrupted.baseCommit
        let starts = try await BlockingWork.run {
            () throws(GitWorkspaceError) -> (ObjectID?, [String: ObjectID]) in
            let repository = try Repository.open(at: root)
            let base = try baseHex.map { hex throws(GitWorkspaceError) in try repository.resolveCommit(hex) }
            var tips: [String: ObjectID] = [:]
            for (agent, branch) in branches {
                if let tip = try repository.resolve(reference: branch), tip != base { tips[agent] = tip }
            }
            return (base, tips)
        }
        settings.startCommit = starts.0
        settings.agentStartCommits = starts.1
        return try await runTurn(
            session: target.session.id, number: interrupted.number + 1, task: interrupted.task,
            attachments: .none, agents: agents,
            settings: settings, events: events)
    }

    /// The history a turn after `turns` of `session` receives, normalized; empty for a first turn.
    public func history(of session: String) throws(SessionStoreError) -> String {
        let entries = try store.conversation(of: session)
        guard !entries.isEmpty else { return "" }
        // Merges undone since: the agents must not be told the code holds them.
        let undone = Set(
            try store.operations().filter { $0.session == session && $0.undone && $0.kind.hasPrefix("merge:") }
                .compactMap(\.turn))
        var lines = ["This continues an earlier mg session in this repository. The conversation so far:"]
        for entry in entries {
            let speaker = entry.role == .user ? "User (turn \(entry.turn))" : "Result (turn \(entry.turn))"
            lines.append("\(speaker): \(entry.text)")
            if entry.role == .assistant, undone.contains(entry.turn) {
                lines.append(
                    "  (Undone since with `mg undo`: the repository no longer holds turn \(entry.turn)'s change.)")
            }
            if !entry.media.isEmpty {
                lines.append("  Attached: " + entry.media.map { "\($0.path) (\($0.mime))" }.joined(separator: ", "))
            }
        }
        return store.normalizer.normalize(lines.joined(separator: "\n"))
    }

    /// The task text an agent receives for a later turn: history, then the new task.
    public func contextualTask(_ task: String, session: String) throws(SessionStoreError) -> String {
        let history = try history(of: session)
        let current = store.normalizer.normalize(task)
        return history.isEmpty ? current : history + "\n\nThe new task:\n" + current
    }

    private func runTurn(
        session: String, number: Int, task: String, attachments: TurnAttachments, agents: [AgentSpec],
        settings: OrchestratorSettings, events: any EventSink
    ) async throws -> TurnResult {
        var settings = settings
        let run = StoreSessionRecorder.runID(session: session, turn: number)
        settings.sessionID = run
        settings.userTask = task
        let prompt = try contextualTask(task, session: session)
        let library = MediaLibrary(layout: layout, session: session)
        let stored = try attachments.store(in: library)
        settings.attachments =
            TurnAttachments.earlierParts(try store.conversation(of: session), library: library) + stored.parts
        let recorder = StoreSessionRecorder(
            store: store, layout: layout, session: session, turn: number, task: task, startsSession: false,
            media: stored.references)
        let outcome = try await CodingOrchestrator().run(
            task: prompt, repositoryRoot: repositoryRoot, agents: agents, settings: settings,
            events: recorder.eventSink(forwardingTo: events), recorder: recorder)
        return TurnResult(session: session, turn: number, run: run, outcome: outcome)
    }

    /// The session `id`, or the latest one.
    func pick(_ id: String?) throws -> SessionRecord {
        if let id {
            guard let record = try store.session(id) else { throw SessionManagerError.unknownSession(id) }
            guard record.status != .imported else { throw SessionManagerError.importedSession(id) }
            return record
        }
        guard let latest = try store.latestSession() else {
            throw SessionManagerError.nothingToResume(session: nil)
        }
        if latest.status == .running, let pid = latest.pid, SessionStore.processIsAlive(pid) {
            throw SessionManagerError.stillRunning(session: latest.id, pid: pid)
        }
        return latest
    }

    /// True when `turn`'s winner landed in the user's repository.
    static func landed(_ turn: TurnRecord) -> Bool { turn.mergeHow?.hasPrefix("merge:") == true }

    /// Where the turn after `previous` starts: `nil` (the working state) when its winner was
    /// merged or there was none; the winner's branch tip when the winner stayed on its branch.
    func startCommit(after previous: TurnRecord) throws -> ObjectID? {
        if let how = previous.mergeHow, how.hasPrefix("merge:") { return nil }
        guard let winner = previous.winner,
            let branch = try store.agents(of: previous.session, turn: previous.number).first(where: {
                $0.agent == winner
            })?
            .branch
        else { return nil }
        let root = repositoryRoot
        return try Repository.open(at: root).resolve(reference: branch)
    }
}

/// Why a session cannot be continued or resumed.
public enum SessionManagerError: Error, Sendable, CustomStringConvertible {
    /// No such session in the store.
    case unknownSession(String)
    /// Imported MassGen history is read-only.
    case importedSession(String)
    /// Nothing to continue or resume.
    case nothingToResume(session: String?)
    /// The session's process is still alive.
    case stillRunning(session: String, pid: Int32?)
    /// Sessions exist, but none is interrupted.
    case nothingInterrupted

    public var description: String {
        switch self {
        case .unknownSession(let id):
            "There is no session \(id) in .massgen/sessions/.\nHint: `mg sessions` lists them."
        case .importedSession(let id):
            "Session \(id) was imported from MassGen and is read-only history.\nHint: start a new one with `mg fix`."
        case .nothingToResume(let id):
            id.map {
                "Session \($0) is not interrupted; there is nothing to resume.\nHint: `mg status` lists interrupted sessions; `mg continue` runs a new turn."
            }
                ?? "There is no session to continue or resume here.\nHint: start one with `mg fix \"TASK\"`."
        case .nothingInterrupted:
            "No session is interrupted, so there is nothing to resume.\nHint: `mg continue \"TASK\"` runs the next turn of the latest session; `mg sessions` lists them."
        case .stillRunning(let id, let pid):
            "Session \(id) is still running\(pid.map { " (pid \($0))" } ?? "").\nHint: wait for it, or stop it with Ctrl-C first."
        }
    }
}
