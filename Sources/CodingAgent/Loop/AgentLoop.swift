/// Drives one agent: streams a model turn, runs the tools it calls, feeds the results back, and
/// repeats until a terminal tool succeeds or a limit, the checkpoint hook or cancellation ends it.
///
/// The loop never throws: every way it can end is an `AgentLoopOutcome`, so the orchestrator
/// can treat a failed agent like any other finished one.
public struct AgentLoop: Sendable {
    /// The model provider.
    public var backend: any ModelBackend
    /// The tools offered.
    public var tools: ToolRegistry
    /// Model, prompt, limits and correction policy.
    public var configuration: AgentLoopConfiguration
    /// The workspace and ignore rules the tools run with (possibly still being prepared).
    public var context: ToolContextSource
    /// Receives every event before it takes effect.
    public var recorder: any TranscriptRecorder
    /// Prices each model call; without it the cost ceiling cannot trigger.
    public var costMeter: TurnPricer?
    /// Asked after every turn whether to proceed, stop, or restart with new context.
    public var checkpoint: CheckpointHook?

    /// Creates a loop whose tools run with `context`.
    public init(
        backend: any ModelBackend, tools: ToolRegistry, configuration: AgentLoopConfiguration, context: ToolContext,
        recorder: any TranscriptRecorder = DiscardingRecorder(), costMeter: TurnPricer? = nil, checkpoint: CheckpointHook? = nil
    ) {
        self.init(
            backend: backend, tools: tools, configuration: configuration, contextSource: .ready(context),
            recorder: recorder, costMeter: costMeter, checkpoint: checkpoint)
    }

    /// Creates a loop whose tool context may still be in preparation when the first model call starts.
    public init(
        backend: any ModelBackend, tools: ToolRegistry, configuration: AgentLoopConfiguration,
        contextSource context: ToolContextSource,
        recorder: any TranscriptRecorder = DiscardingRecorder(), costMeter: TurnPricer? = nil, checkpoint: CheckpointHook? = nil
    ) {
        self.backend = backend
        self.tools = tools
        self.configuration = configuration
        self.context = context
        self.recorder = recorder
        self.costMeter = costMeter
        self.checkpoint = checkpoint
    }

    /// Why streaming a turn did not produce a turn.
    enum TurnInterruption: Error {
        case deadline
        case cancelled
        case backend(BackendError)
    }

    /// Runs the loop on `messages` (the conversation without the system prompt).
    public func run(messages initial: [Message]) async -> AgentLoopResult {
        var state = LoopState(messages: initial, toolMode: configuration.toolMode)
        await prepare(&state)
        let outcome = await drive(&state)
        await submitLeftoverEdits(&state, ending: outcome)
        await recorder.record(TranscriptEntry(step: state.steps, event: .finished(outcome.summary)))
        return AgentLoopResult(
            outcome: outcome, messages: state.messages, steps: state.steps, usage: state.usage, costUSD: state.cost,
            toolMode: state.toolMode)
    }

    struct LoopState {
        var messages: [Message]
        var toolMode: ToolMode
        var steps = 0
        var usage = TokenUsage()
        var cost = 0.0
        var corrections = 0
        var modelErrors = 0
        var compactions = 0
        /// Turns in a row without a readable call (auto mode switches to text after a few).
        var unparsedTurns = 0
        /// The context window's budget, when the window is known.
        var budget: ContextBudget?
        /// Cache hints sent with every request.
        var cache: PromptCacheHint?
        /// `max_tokens` when the configuration sets none and the server is local.
        var maxTokens: Int?
        /// Files changed by successful calls since the run started, not yet submitted.
        var editedPaths: [String] = []
        /// Tools left out of the next request (`AgentLoopConfiguration.hiddenTools`).
        var hiddenTools: Set<String> = []
    }

    private func drive(_ state: inout LoopState) async -> AgentLoopOutcome {
        let limits = configuration.limits
        let executor = ToolCallExecutor(tools: tools, contextSource: context, recorder: recorder)
        var repetition = RepeatedTurnGuard(warnAfter: configuration.repeatedFailureWarning)
        while true {
            if Task.isCancelled { return .cancelled }
            if let deadline = limits.deadline, ContinuousClock.now >= deadline { return .deadlinePassed }
            if let ceiling = limits.costCeilingUSD, state.cost >= ceiling { return .costCeilingReached(spentUSD: state.cost, ceilingUSD: ceiling) }
            if state.steps >= limits.maxSteps { return .stepLimitReached(steps: state.steps) }

            state.steps += 1
            let step = state.steps
            state.hiddenTools = await configuration.hiddenTools?() ?? []
            await fitToBudget(&state, step: step)
            let turn: TurnAssembler
            do throws(TurnInterruption) {
                turn = try await streamTurn(request(for: state))
            } catch {
                if let outcome = await recover(from: error, state: &state, step: step) { return outcome }
                continue
            }

            if let usage = turn.usage {
                let cost = costMeter?(usage)
                state.usage = state.usage + usage
                state.cost += cost ?? 0
                await recorder.record(TranscriptEntry(step: step, event: .usage(usage, costUSD: cost)))
            }
            for problem in turn.streamErrors { await recorder.record(TranscriptEntry(step: step, event: .error(problem))) }
            let interpreted = await interpret(turn, step: step, mode: state.toolMode, editFormat: editFormat(in: state))
            let assistant = interpreted.message
            if let note = interpreted.note { await recorder.record(TranscriptEntry(step: step, event: .correction(note))) }
            await recorder.record(TranscriptEntry(step: step, event: .assistant(assistant, reasoning: turn.reasoning.isEmpty ? nil : turn.reasoning)))
            state.messages.append(assistant)

            let calls = assistant.toolCalls
            if calls.isEmpty {
                if let outcome = await correctMissingCall(&state, step: step, problems: interpreted.problems) { return outcome }
                continue
            }
            state.corrections = 0
            state.modelErrors = 0
            state.compactions = 0
            state.unparsedTurns = 0

            var (executed, terminal) = await executor.execute(calls, step: step)
            if terminal == nil, interpreted.submitsEdits, let submission = submissionCall(for: executed, prose: interpreted.prose, step: step) {
                await recorder.record(TranscriptEntry(step: step, event: .correction("Submitting the edits written as code blocks as the answer.")))
                state.messages[state.messages.count - 1].parts.append(.toolCall(submission))
                let (submitted, submittedTerminal) = await executor.execute([submission], step: step)
                executed += submitted
                terminal = submittedTerminal
            }
            noteEdits(executed, in: &state)
            state.messages.append(Message(role: .tool, parts: executed.map { .toolResult($0.result) }))
            let media = executed.flatMap(\.outcome.media)
            if !media.isEmpty {
                state.messages.append(Message(role: .user, parts: [.text("Media attached by your tool calls:")] + media))
            }
            for problem in interpreted.problems {
                await recorder.record(TranscriptEntry(step: step, event: .correction(problem)))
                state.messages.append(.text(.user, problem))
            }
            if let terminal, let payload = terminal.outcome.terminalPayload {
                return .terminal(toolName: terminal.call.name, payload: payload)
            }
            if Task.isCancelled { return .cancelled }
            switch repetition.observe(executed) {
            case .proceed: break
            case .correct(let correction):
                await recorder.record(TranscriptEntry(step: step, event: .correction(correction)))
                state.messages.append(.text(.user, correction))
            case .giveUp(let tool, let error?, let times):
                return .repeatedFailure(toolName: tool, error: error, times: times)
            case .giveUp(let tool, nil, let times):
                return .repeatedCall(toolName: tool, times: times)
            }

            if let checkpoint {
                let decision = await checkpoint(CheckpointState(step: step, messages: state.messages, usage: state.usage, costUSD: state.cost))
                switch decision {
                case .proceed: break
                case .stop(let reason):
                    await recorder.record(TranscriptEntry(step: step, event: .checkpoint("stop: \(reason)")))
                    return .stopped(reason: reason)
                case .restart(let messages):
                    await recorder.record(TranscriptEntry(step: step, event: .checkpoint("restart with \(messages.count) messages")))
                    state.messages = await withWorkspaceFiles(messages, budget: state.budget)
                    state.corrections = 0
                    repetition.reset()
                }
            }
        }
    }

    /// Streams one turn, racing it against the deadline and honouring cancellation: leaving the
    /// `for await` ends the backend's stream, whose termination handler aborts the transfer.
    private func streamTurn(_ request: ModelRequest) async throws(TurnInterruption) -> TurnAssembler {
        let backend = self.backend
        let consume: @Sendable () async throws -> TurnAssembler = {
            var assembler = TurnAssembler()
            for try await chunk in backend.stream(request) {
                assembler.consume(chunk)
            }
            try Task.checkCancellation()
            return assembler
        }
        do {
            guard let deadline = configuration.limits.deadline else { return try await consume() }
            return try await withThrowingTaskGroup(of: TurnAssembler?.self) { group in
                group.addTask { try await consume() }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let turn = first else { throw TurnInterruption.deadline }
                return turn
            }
        } catch let interruption as TurnInterruption {
            throw interruption
        } catch let error as BackendError {
            if Task.isCancelled { throw .cancelled }
            throw .backend(error)
        } catch is CancellationError {
            throw .cancelled
        } catch {
            if Task.isCancelled { throw .cancelled }
            throw .backend(.network(provider: backend.displayName, message: String(describing: error)))
        }
    }
}
