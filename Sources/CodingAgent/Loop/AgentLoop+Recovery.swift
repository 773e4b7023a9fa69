/// What the loop does when a turn could not be streamed: stop (cancelled, deadline), shrink a
/// conversation the model's window refused, or tell the model its output was rejected.
extension AgentLoop {
    /// The outcome that ends the loop, or `nil` to try the turn again.
    func recover(from interruption: TurnInterruption, state: inout LoopState, step: Int) async -> AgentLoopOutcome? {
        let failure: BackendError
        switch interruption {
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
            return nil
        }
        // A model error (or a server rejecting an invented tool) is the model's fault, not
        // the transport's: tell the model what went wrong and let it try again.
        let correction: String
        switch failure {
        case .modelError(_, let message) where state.modelErrors < configuration.maxModelErrorRetries:
            correction = "Your previous reply could not be processed (\(message)). Call only these tools, with JSON object arguments: \(tools.names.joined(separator: ", "))."
        case _ where failure.isRetryableWithCorrection && state.modelErrors < configuration.maxModelErrorRetries:
            correction = failure.correctiveMessage ?? "Call only these tools: \(tools.names.joined(separator: ", "))."
        default:
            await recorder.record(TranscriptEntry(step: step, event: .error(failure.description)))
            return .backendFailed(failure)
        }
        state.modelErrors += 1
        await recorder.record(TranscriptEntry(step: step, event: .error(failure.description)))
        // The server parsed the model's own output and refused it: the provider's tool channel
        // does not work for this model, so `auto` writes calls as text from now on.
        await switchToText(&state, step: step, reason: "the server rejected the model's tool call")
        await recorder.record(TranscriptEntry(step: step, event: .correction(correction)))
        state.messages.append(.text(.user, correction))
        return nil
    }

    /// Remembers the files successful writing calls changed (a terminal call submits them all).
    func noteEdits(_ executed: [ToolCallExecutor.Executed], in state: inout LoopState) {
        for call in executed where !call.outcome.isError {
            guard let tool = tools.tool(named: call.call.name) else { continue }
            if tool.isTerminal {
                state.editedPaths = []
            } else if !tool.isReadOnly, call.call.name != "run_command",
                let path = JSONValue.parseArguments(call.call.arguments)?["path"]?.stringValue,
                !state.editedPaths.contains(path)
            {
                state.editedPaths.append(path)
            }
        }
    }

    /// An agent that gives up (repeating itself, no call, step limit) after changing files it
    /// never submitted leaves them as its answer through the configured submission tool, so a
    /// fix it made is judged by the tests instead of being lost; the outcome stays the same.
    func submitLeftoverEdits(_ state: inout LoopState, ending outcome: AgentLoopOutcome) async {
        switch outcome {
        case .repeatedFailure, .repeatedCall, .noToolCall, .stepLimitReached: break
        default: return
        }
        guard let submission = configuration.answerSubmission, tools.tool(named: submission.toolName) != nil,
            !state.editedPaths.isEmpty
        else { return }
        let summary =
            "Submitted by mg when the agent stopped (\(outcome.summary)): its unsubmitted changes to "
            + state.editedPaths.joined(separator: ", ") + "."
        let call = ToolCall(
            id: "call_\(state.steps)_leftover", name: submission.toolName,
            arguments: JSONValue.object([submission.argument: .string(summary)]).jsonText)
        await recorder.record(TranscriptEntry(step: state.steps, event: .correction("Submitting the unsubmitted changes before stopping.")))
        let message = Message(role: .assistant, parts: [.toolCall(call)])
        await recorder.record(TranscriptEntry(step: state.steps, event: .assistant(message, reasoning: nil)))
        let executor = ToolCallExecutor(tools: tools, contextSource: context, recorder: recorder)
        let (executed, _) = await executor.execute([call], step: state.steps)
        state.messages.append(message)
        state.messages.append(Message(role: .tool, parts: executed.map { .toolResult($0.result) }))
        state.editedPaths = []
    }
}
