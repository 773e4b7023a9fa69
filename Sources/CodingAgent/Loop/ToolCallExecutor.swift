/// Runs one turn's tool calls: consecutive read-only calls concurrently, the rest one by one,
/// recording each call before it starts and each result as soon as the batch ends.
struct ToolCallExecutor {
    let tools: ToolRegistry
    let contextSource: ToolContextSource
    let recorder: any TranscriptRecorder

    /// The result of one call, in call order.
    struct Executed {
        var call: ToolCall
        var outcome: ToolOutcome
    }

    /// Executes `calls` in order; stops after the first successful terminal call and reports
    /// the rest as skipped, so the conversation still has a result for every call.
    func execute(_ calls: [ToolCall], step: Int) async -> (results: [Executed], terminal: Executed?) {
        let context: ToolContext
        do {
            context = try await contextSource.resolve()
        } catch {
            let results = calls.map {
                Executed(call: $0, outcome: .failure("Not run: your workspace is not available (\(error))."))
            }
            for executed in results {
                await recorder.record(TranscriptEntry(step: step, event: .toolCall(executed.call)))
                await recorder.record(TranscriptEntry(step: step, event: .toolResult(executed.result, media: [])))
            }
            return (results, nil)
        }
        var results: [Executed] = []
        var index = 0
        while index < calls.count {
            if Task.isCancelled { break }
            var batch = [calls[index]]
            if isReadOnly(calls[index]) {
                while index + batch.count < calls.count, isReadOnly(calls[index + batch.count]) {
                    batch.append(calls[index + batch.count])
                }
            }
            index += batch.count
            for call in batch { await recorder.record(TranscriptEntry(step: step, event: .toolCall(call))) }
            let outcomes =
                batch.count == 1 ? [await run(batch[0], context)] : await runConcurrently(batch, context)
            for (call, outcome) in zip(batch, outcomes) {
                let executed = Executed(call: call, outcome: outcome)
                results.append(executed)
                await recorder.record(TranscriptEntry(step: step, event: .toolResult(executed.result, media: outcome.media)))
                if outcome.terminalPayload != nil, !outcome.isError, tools.tool(named: call.name)?.isTerminal == true {
                    for skipped in calls[index...] {
                        let note = ToolOutcome.failure("Not run: \(call.name) ended your turn before this call.")
                        results.append(Executed(call: skipped, outcome: note))
                    }
                    return (results, executed)
                }
            }
        }
        return (results, nil)
    }

    private func isReadOnly(_ call: ToolCall) -> Bool {
        guard let tool = tools.tool(named: call.name) else { return true }  // an error result, harmless
        return tool.isReadOnly && !tool.isTerminal
    }

    private func runConcurrently(_ batch: [ToolCall], _ context: ToolContext) async -> [ToolOutcome] {
        await withTaskGroup(of: (Int, ToolOutcome).self) { group in
            for (position, call) in batch.enumerated() {
                group.addTask { (position, await run(call, context)) }
            }
            var outcomes = [ToolOutcome](repeating: .failure("not run"), count: batch.count)
            for await (position, outcome) in group { outcomes[position] = outcome }
            return outcomes
        }
    }

    private func run(_ call: ToolCall, _ context: ToolContext) async -> ToolOutcome {
        guard let tool = tools.tool(named: call.name) else { return .failure(tools.unknownToolMessage(call.name)) }
        guard let arguments = JSONValue.parseArguments(call.arguments) else {
            return .failure(
                "The arguments of \(call.name) are not valid JSON: \(call.arguments.prefix(200)). Send a JSON object, e.g. {\"path\": \"README.md\"}.")
        }
        var callContext = context
        callContext.callID = call.id
        return await tool.run(arguments: arguments, context: callContext)
    }
}

extension ToolCallExecutor.Executed {
    /// The result part sent back to the model.
    var result: ToolResult {
        ToolResult(callID: call.id, name: call.name, content: outcome.text, isError: outcome.isError)
    }
}
