import CodingAgent
import Foundation
import GitWorkspace

/// The public entry point of a coding session (`mg fix`): N agents in parallel worktrees,
/// MassGen coordination with test evidence, a tally, and the winner merged back.
///
/// It composes small pieces — `SessionCoordinator` (rules + side effects), `AgentRunner` (one
/// agent's runs), `EvidenceRunner`, `WorkspaceDiffLogger`, `BallotTally`, `MergeStep` — and holds
/// the repository lock for the whole session.
public struct CodingOrchestrator: Sendable {
    /// Creates an orchestrator.
    public init() {}

    /// Runs one session on `task` in the repository containing `repositoryRoot`.
    ///
    /// Throws only when the session cannot start (no repository, locked by another mg, bad
    /// agents); the user's repository is then unchanged. Everything after that is reported in
    /// the outcome. Cancelling the calling task (Ctrl-C) stops the agents, commits their work to
    /// their branches, merges nothing, and returns `.interrupted`.
    public func run(
        task: String, repositoryRoot: String, agents: [AgentSpec],
        settings: OrchestratorSettings = OrchestratorSettings(),
        events sink: any EventSink = DiscardingEventSink(),
        recorder: any SessionRecorder = NoopSessionRecorder()
    ) async throws(OrchestratorError) -> SessionOutcome {
        // MassGen's debug mode: the first agent alone, its first answer the result.
        let agents = settings.skipCoordinationRounds ? Array(agents.prefix(1)) : agents
        let ids = agents.map(\.id)
        guard !ids.isEmpty else {
            throw .invalidAgents("No agents are configured; add at least one under `agents:`.")
        }
        guard Set(ids).count == ids.count else {
            throw .invalidAgents("Agent ids must be unique; got \(ids.joined(separator: ", ")).")
        }
        let session = settings.sessionID ?? OrchestratorSettings.generateSessionID()
        // Custom tools load before anything is created: a broken one stops the session here.
        let customTools = try await CustomToolbox.describe(agents, settings: settings.commandSettings)
        let prepared: PreparedSession
        do {
            prepared = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try PreparedSession.prepare(
                    from: repositoryRoot, session: session, agentIDs: ids, lockWait: settings.lockWait,
                    startCommit: settings.startCommit, landingBase: settings.landingBase)
            }
        } catch {
            throw .git(error)
        }
        let lock = prepared.lock
        defer { withExtendedLifetime(lock) {} }
        let root = prepared.root
        let base = prepared.base
        let testCommand: String? =
            switch settings.testCommand {
            case .detect: TestCommandDetector.detect(in: root)
            case .command(let command): command
            case .none: nil
            }
        let mergeMode = settings.mergeMode ?? MergeMode.defaultMode(for: prepared.landing)
        let worktrees = ids.map {
            AgentWorktree(
                session: session, agent: $0, path: prepared.layout.worktreePath(session: session, agent: $0))
        }
        let ballots = BallotPlan(agentCount: ids.count, seed: settings.ballotSeed ?? BallotPlan.randomSeed())
        let anonymousIDs = ballots.anonymousIDs
        let testRules = TestFileRules(testCommand: testCommand, testPaths: settings.testPaths)
        let events = SessionEvents(session: session, sink: sink)
        // Each agent's copy of the write context paths outside the repository, before anything is recorded.
        let sessionFolder = prepared.layout.sessionDirectory(session)
        let copies: ContextCopies?
        do {
            copies = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try ContextCopies.prepare(
                    plan: settings.contextPaths, repositoryRoot: root, sessionFolder: sessionFolder,
                    agents: ids)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: sessionFolder + "/context")
            throw .git(error)
        }
        defer { copies?.remove() }

        // The turn starts only once the store knows of it and of its worktrees: otherwise a crash
        // would leave worktrees that `mg status`, `mg clean` and resume cannot see.
        do {
            try await recorder.record(
            .started(
                SessionStartRecord(
                    session: session, task: task, repositoryRoot: root, base: base,
                    agents: agents.enumerated().map {
                        AgentRecord(
                            id: $1.id, anonymousID: anonymousIDs[$0], model: $1.model,
                            backend: $1.backend.displayName)
                    },
                    testCommand: testCommand, mergeMode: mergeMode,
                    votingSensitivity: settings.votingSensitivity, date: Date(), ballotSeed: ballots.seed,
                    votingPolicy: settings.votingPolicy)))
            try await recorder.record(.worktreesPlanned(worktrees))
        } catch {
            throw .journalUnavailable("\(error)")
        }
        let shownTask = settings.userTask ?? task
        await events.emit(.sessionStarted) {
            $0.detail = shownTask
            $0.testCommand = testCommand
            $0.commit = base.commit.hex
            $0.branch = base.targetRef
        }
        let protection = await Self.protection(
            settings: settings, rules: testRules, root: root, base: base, events: events)
        let warn: @Sendable (String) -> Void = { message in
            events.post(.error) { $0.message = message }
        }
        let preparation = WorkspacePreparation.start(
            root: root, session: session, base: base, worktrees: worktrees,
            startCommits: settings.agentStartCommits, protection: protection,
            contextRoots: ids.map { copies?.contextRoots(agent: $0) ?? [] }, events: events, warn: warn)

        let prompts = settings.prompts ?? PromptLibrary.forProject(repositoryRoot: root)
        let evidence = EvidenceRunner(
            command: testCommand, runner: CommandRunner(settings: settings.commandSettings, warn: warn),
            timeout: settings.testTimeout)
        // The sandbox probe runs once per process; doing it now keeps it off the first test run.
        Task { await evidence.prepare() }
        let baseline = BaselineRun.start(
            evidence: evidence, tree: base.tree, repositoryRoot: root, session: session, events: events,
            recorder: recorder)
        let diffLogger = WorkspaceDiffLogger(repositoryRoot: root, session: session)
        let shownPatch = await Self.shownPatchBudget(settings.patchBudgetPerAnswer, agents: agents)
        let coordinator = SessionCoordinator(
            setup: .init(
                session: session, task: task, repositoryRoot: root, base: base, agentIDs: ids,
                worktrees: worktrees,
                maxNewAnswersPerAgent: settings.maxNewAnswersPerAgent,
                costCeilingUSD: settings.costCeilingUSD,
                patchBudget: settings.patchBudgetPerAnswer, attachments: settings.attachments, ballots: ballots,
                testRules: testRules, protection: protection, allowTestChanges: settings.allowTestChanges,
                answerNovelty: settings.answerNovelty, endAtFirstAnswer: settings.skipCoordinationRounds,
                contextCopies: copies),
            events: events, recorder: recorder, evidence: evidence, diffLogger: diffLogger,
            contextBuilder: ContextBuilder(
                prompts: prompts, sensitivity: settings.votingSensitivity,
                patchBudgetPerAnswer: shownPatch,
                overview: prepared.listing.map { RepositoryOverview(listing: $0, testCommand: testCommand) }),
            baseline: baseline)
        Task { await coordinator.noteBaseline(await baseline.result) }

        let external: ExternalAgentWorkspace?
        do {
            external = try ExternalAgentWorkspace.forSession(agents, folder: prepared.layout.sessionDirectory(session))
        } catch {
            throw .invalidAgents("The external agents' files could not be prepared: \(error)")
        }
        defer { external?.stop() }
        let runners = makeRunners(
            agents: agents, worktrees: worktrees, anonymousIDs: anonymousIDs, settings: settings,
            prompts: prompts, preparation: preparation,
            coordinator: coordinator, events: events, recorder: recorder, warn: warn, external: external,
            customTools: customTools, copies: copies)
        let roundEnd = await Self.runRound(
            runners: runners, coordinator: coordinator, timeout: settings.orchestratorTimeout,
            preparation: preparation)
        // The round ended at once if the worktrees could not be made; no tool ran, nothing to merge.
        if case .failure(let error) = await preparation.result {
            await events.flush()
            throw error
        }
        let interrupted = Task.isCancelled || roundEnd == .interrupted

        var step = MergeStep(
            session: session, repositoryRoot: root, base: base, landing: prepared.landing, mode: mergeMode,
            worktrees: worktrees,
            cleanup: settings.worktreeCleanup, events: events, recorder: recorder, diffLogger: diffLogger, lock: lock,
            decision: DecisionStep(
                session: session, repositoryRoot: root, policy: settings.votingPolicy,
                gateCommands: settings.gateCommands, allowTestChanges: settings.allowTestChanges, evidence: evidence, baseline: baseline, events: events,
                recorder: recorder))
        step.copies = copies
        var outcome = await step.finish(coordinator: coordinator, roundEnd: roundEnd, interrupted: interrupted)
        outcome.agents = zip(agents, anonymousIDs).map { (id: $0.id, anonymousID: $1) }
        outcome.carriedTurns = settings.landingBase == nil ? [] : settings.carriedTurns
        // Warnings posted from synchronous code reach the sink before the caller reports the outcome.
        await events.flush()
        return outcome
    }

    /// mg's default protected paths, the configured ones and (unless test changes are allowed)
    /// the base's existing test files.
    static func protection(
        settings: OrchestratorSettings, rules: TestFileRules, root: String, base: BaseSnapshot, events: SessionEvents
    ) async -> ProtectedPaths {
        var protection = ProtectedPaths(configured: settings.protectedPaths)
        protection.writeScopes = settings.contextPaths.writeScopes
        guard !settings.allowTestChanges else { return protection }
        do {
            let tests = try await BlockingWork.run { () throws(GitWorkspaceError) -> [String] in
                try Repository.open(at: root).filePaths(ofTree: base.tree, where: rules.isTestFile)
            }
            protection.testFiles = Set(tests)
        } catch {
            await events.emit(.error) {
                $0.message = "Listing the base's test files failed (\(error)); the tools will not refuse to edit them, "
                    + "but answers are still judged by the base's tests."
            }
        }
        return protection
    }

    /// What `context_paths` change for one agent: read paths visible to its commands, its copies
    /// of the write paths mounted at their real paths (other agents' copies hidden; the sandbox
    /// required, so no command writes a real path), and the paths described in its instructions.
    static func applyContextPaths(
        _ plan: ContextPathPlan, copies: ContextCopies?, agent: String, agents: [String],
        to settings: inout CommandSettings, systemMessage: inout String?
    ) {
        guard !plan.isEmpty else { return }
        settings.readOnlyBinds += plan.outside.filter { !$0.writable }.map(\.path)
        if let copies, !copies.roots.isEmpty {
            settings.writableBinds += copies.binds(agent: agent)
            settings.hiddenPaths += copies.otherAgentsFolders(than: agent, agents: agents)
            settings.sandbox = .required
        }
        let text = plan.promptText
        if !text.isEmpty {
            systemMessage = [systemMessage, text].compactMap { $0 }.joined(separator: "\n\n")
        }
    }

    /// Bytes of each other answer's diff shown in a prompt: the configured budget, cut so the
    /// others' answers take about a third of the smallest context window among the agents
    /// (config `context_window`, else the server's `/props`), e.g. ~2.4 KB each for 3 agents on
    /// an 8,192-token llama.cpp slot.
    static func shownPatchBudget(_ configured: Int, agents: [AgentSpec]) async -> Int {
        guard agents.count > 1 else { return configured }
        var smallest: Int?
        for spec in agents {
            let known: Int? = spec.contextWindow
            guard let window = known == nil ? await spec.backend.serverProperties()?.contextWindow : known else { continue }
            smallest = min(smallest ?? window, window)
        }
        guard let smallest else { return configured }
        let share = Int(Double(smallest) * 3 * 0.3) / (agents.count - 1)
        return max(1_000, min(configured, share))
    }

    private func makeRunners(
        agents: [AgentSpec], worktrees: [AgentWorktree], anonymousIDs: [String],
        settings: OrchestratorSettings,
        prompts: PromptLibrary, preparation: WorkspacePreparation, coordinator: SessionCoordinator,
        events: SessionEvents, recorder: any SessionRecorder,
        warn: @escaping @Sendable (String) -> Void, external: ExternalAgentWorkspace?,
        customTools: [[ToolDefinition]], copies: ContextCopies?
    ) -> [any SessionAgentRunner] {
        let start = ContinuousClock.now
        var runners: [any SessionAgentRunner] = []
        for (index, configured) in agents.enumerated() {
            var spec = configured
            if let planning = settings.planningMode {
                // Planning mode: no MCP server actions during the session (mg has no final
                // presentation in which the winner would carry them out).
                spec.mcpServers = []
                spec.external?.mcpServers = []
                let text =
                    "Planning mode: " + planning.instruction
                    + "\nTools of MCP servers are not available in this session; describe what you would do with them in your answer."
                spec.systemMessage = [spec.systemMessage, text].compactMap { $0 }.joined(separator: "\n\n")
            }
            let timeLimit = spec.timeout ?? settings.agentTimeout
            let deadline = timeLimit.map { start + $0 }
            var commandSettings = settings.commandSettings
            // Agents must not read each other's unpublished work through the shell.
            commandSettings.hiddenPaths += worktrees.filter { $0.agent != spec.id }.map(\.path)
            Self.applyContextPaths(
                settings.contextPaths, copies: copies, agent: spec.id, agents: worktrees.map(\.agent),
                to: &commandSettings, systemMessage: &spec.systemMessage)
            var tools = ToolRegistry(
                CodingTools.standard(
                    runner: CommandRunner(
                        settings: spec.commandLine?.applied(to: commandSettings) ?? commandSettings,
                        warn: warn)))
            if spec.commandLine?.enabled == false { tools.remove(named: ["run_command"]) }
            for tool in CustomToolbox.tools(
                for: spec, definitions: customTools[index], settings: commandSettings, warn: warn)
            { tools.register(tool) }
            for tool in CoordinationTools.tools(
                coordinator: coordinator, agent: index, anonymousIDs: anonymousIDs)
            { tools.register(tool) }
            tools.remove(named: spec.excludedTools.subtracting(["new_answer", "vote"]))
            var system = prompts.text(.system)
            if let extra = spec.systemMessage?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty
            {
                system += "\n\n" + extra
            }

            let tap = AgentTranscriptTap(
                agent: index, agentID: spec.id, coordinator: coordinator, events: events,
                downstream: recorder.transcriptRecorder(for: spec.id))
            if let program = spec.external, let external {
                runners.append(
                    ExternalAgentRunner(
                        index: index, spec: spec, external: program,
                        tools: ExternalAgentWorkspace.tools(tools, coordinator: coordinator, agent: index),
                        toolContext: preparation.context(for: index), instructions: prompts.text(.externalAgent),
                        deadline: deadline, timeLimit: timeLimit, coordinator: coordinator, transcript: tap, events: events,
                        workspace: external))
                continue
            }
            runners.append(
                AgentRunner(
                    index: index, spec: spec, tools: tools,
                    toolContext: preparation.context(for: index),
                    systemPrompt: system, maxSteps: settings.maxStepsPerRun, deadline: deadline, timeLimit: timeLimit,
                    coordinator: coordinator,
                    transcript: tap, events: events))
        }
        return runners
    }

    /// Runs every agent in parallel until the round ends (votes, failures, timeout, cancellation,
    /// worktrees that could not be made), then stops the agents still working at their next await.
    static func runRound(
        runners: [any SessionAgentRunner], coordinator: SessionCoordinator, timeout: Duration,
        preparation: WorkspacePreparation
    ) async -> RoundEndReason {
        await withTaskGroup(of: Void.self) { group in
            for runner in runners { group.addTask { await runner.run() } }
            group.addTask {
                if case .failure = await preparation.result { await coordinator.endRound(.setupFailed) }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    await coordinator.endRound(.timeout)
                } catch {}
            }
            let reason = await coordinator.waitForRoundEnd()
            group.cancelAll()
            await group.waitForAll()
            return reason
        }
    }
}

/// The repository steps before any agent runs: discovery, lock, base snapshot.
struct PreparedSession: Sendable {
    let root: String
    let layout: ProjectLayout
    let lock: RepositoryLock
    let base: BaseSnapshot
    /// The base's files for the agents' context; `nil` if they could not be read (no overview).
    let listing: TreeListing?
    /// What the winner lands from: the base, or the recorded base of the chain of unlanded
    /// turns this one builds on.
    let landing: BaseSnapshot

    static func prepare(
        from path: String, session: String, agentIDs: [String], lockWait: Duration?, startCommit: ObjectID? = nil,
        landingBase: ObjectID? = nil
    ) throws(GitWorkspaceError) -> PreparedSession {
        for id in agentIDs { try AgentWorktree.validateIdentifier(id, kind: "agent") }
        try AgentWorktree.validateIdentifier(session, kind: "session")
        let root = try Repository.discover(from: path).workingDirectory
        let layout = ProjectLayout(repositoryRoot: root)
        let lock = try RepositoryLock(layout: layout, purpose: "mg session \(session)", wait: lockWait)
        let base: BaseSnapshot
        if let startCommit {
            if let (name, hint) = try Repository.open(at: root).operationInProgress() {
                throw .operationInProgress(name: name, hint: hint)
            }
            base = try Self.base(at: startCommit, repositoryRoot: root)
        } else {
            base = try BaseSnapshot.capture(repositoryPath: root, session: session)
        }
        let listing = try? Repository.open(at: root).listing(ofTree: base.tree, pathLimit: RepositoryOverview.pathLimit)
        let landing = try landingBase.map { (commit) throws(GitWorkspaceError) in
            try BaseSnapshot.recorded(commit, repositoryRoot: root)
        } ?? base
        return PreparedSession(root: root, layout: layout, lock: lock, base: base, listing: listing, landing: landing)
    }

    /// A base at `commit` (not the working state) whose merge-back still targets the current branch.
    static func base(at commit: ObjectID, repositoryRoot: String) throws(GitWorkspaceError) -> BaseSnapshot {
        let repository = try Repository.open(at: repositoryRoot)
        let head = try repository.head()
        var detached = false
        if case .detached = head { detached = true }
        return BaseSnapshot(
            commit: commit, tree: try repository.tree(ofCommit: commit), targetRef: head.targetRef,
            headCommit: head.commit, isDetached: detached, skippedSecrets: [])
    }
}
