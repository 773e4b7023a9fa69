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
    private enum TurnInterruption: Error {
        case deadline
        case cancelled
        case backend(BackendError)
    }

    /// Runs the loop on `messages` (the conversation without the system prompt).
    public func run(messages initial: [Message]) async -> AgentLoopResult {
        var state = LoopState(messages: initial)
        let outcome = await drive(&state)
        await recorder.record(TranscriptEntry(step: state.steps, event: .finished(outcome.summary)))
        return AgentLoopResult(outcome: outcome, messages: state.messages, steps: state.steps, usage: state.usage, costUSD: state.cost)
    }

    private struct LoopState {
        var messages: [Message]
        var steps = 0
        var usage = TokenUsage()
        var cost = 0.0
        var corrections = 0
        var modelErrors = 0
        var compactions = 0
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
            let turn: TurnAssembler
            do throws(TurnInterruption) {
                turn = try await streamTurn(request(for: state.messages))
            } catch {
                let failure: BackendError
                switch error {
                case .cancelled: return .cancelled
                case .deadline: return .deadlinePassed
                case .backend(let backendError): failure = backendError
                }
                if case .cancelled = failure { return .cancelled }
                if failure.isContextOverflow, state.compactions < configuration.maxCompactions,
                    let compacted = ConversationCompactor.compact(state.messages)
                {
                    state.compactions += 1
                    await recorder.record(TranscriptEntry(step: step, event: .error(failure.description)))
                    await recorder.record(
                        TranscriptEntry(
                            step: step,
                            event: .correction("The conversation no longer fits the model's context window: older tool output was left out.")))
                    state.messages = compacted
                    continue
                }
                // A model error (or a server rejecting an invented tool) is the model's fault, not
                // the transport's: tell the model what went wrong and let it try again.
                let correction: String
                switch failure {
                case .modelError(_, let message) where state.modelErrors < configuration.maxModelErrorRetries:
                    correction = "Your previous reply could not be processed (\(message)). Call only these tools, with JSON object arguments: \(tools.names.joined(separator: ", "))."
                case _ where failure.isRetryableWithCorrection && state.modelErrors < configuration.maxModelErrorRetries:
                    correction = failure.correctiveMessage
                        ?? "Call only these tools: \(tools.names.joined(separator: ", "))."
                default:
                    await recorder.record(TranscriptEntry(step: step, event: .error(failure.description)))
                    return .backendFailed(failure)
                }
                state.modelErrors += 1
                await recorder.record(TranscriptEntry(step: step, event: .error(failure.description)))
                await recorder.record(TranscriptEntry(step: step, event: .correction(correction)))
                state.messages.append(.text(.user, correction))
                continue
            }

            var assistant = turn.message(step: step)
            for problem in turn.streamErrors { await recorder.record(TranscriptEntry(step: step, event: .error(problem))) }
            if let usage = turn.usage {
                let cost = costMeter?(usage)
                state.usage = state.usage + usage
                state.cost += cost ?? 0
                await recorder.record(TranscriptEntry(step: step, event: .usage(usage, costUSD: cost)))
            }
            if assistant.toolCalls.isEmpty, configuration.acceptsBareJSONToolCalls,
                let bare = BareToolCallParser.parse(turn.text, offered: Set(tools.names))
            {
                var parts: [ContentPart] = bare.remainingText.isEmpty ? [] : [.text(bare.remainingText)]
                for (index, call) in bare.calls.enumerated() {
                    parts.append(.toolCall(ToolCall(id: "call_\(step)_text_\(index)", name: call.name, arguments: call.arguments)))
                }
                assistant = Message(role: .assistant, parts: parts)
                await recorder.record(TranscriptEntry(step: step, event: .correction("Accepted \(bare.calls.count) tool call(s) written as JSON text.")))
            }
            await recorder.record(TranscriptEntry(step: step, event: .assistant(assistant, reasoning: turn.reasoning.isEmpty ? nil : turn.reasoning)))
            state.messages.append(assistant)

            let calls = assistant.toolCalls
            if calls.isEmpty {
                let terminalNames = tools.terminalNames
                if terminalNames.isEmpty { return .textReply(assistant.text) }
                if state.corrections >= configuration.maxNoToolCallCorrections { return .noToolCall(corrections: state.corrections) }
                state.corrections += 1
                let others = tools.names.filter { !terminalNames.contains($0) }
                var correction = "You did not call a tool. You must call one of: \(terminalNames.joined(separator: ", ")) to finish"
                correction += others.isEmpty ? "." : ", or keep working with: \(others.joined(separator: ", "))."
                await recorder.record(TranscriptEntry(step: step, event: .correction(correction)))
                state.messages.append(.text(.user, correction))
                continue
            }
            state.corrections = 0
            state.modelErrors = 0
            state.compactions = 0

            let (executed, terminal) = await executor.execute(calls, step: step)
            state.messages.append(Message(role: .tool, parts: executed.map { .toolResult($0.result) }))
            let media = executed.flatMap(\.outcome.media)
            if !media.isEmpty {
                state.messages.append(Message(role: .user, parts: [.text("Media attached by your tool calls:")] + media))
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
            case .giveUp(let tool, let error, let times):
                return .repeatedFailure(toolName: tool, error: error, times: times)
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
                    state.messages = messages
                    state.corrections = 0
                    repetition.reset()
                }
            }
        }
    }

    private func request(for messages: [Message]) -> ModelRequest {
        let system = configuration.systemPrompt.map { [Message.text(.system, $0)] } ?? []
        return ModelRequest(model: configuration.model, messages: system + messages, tools: tools.definitions, settings: configuration.settings)
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
