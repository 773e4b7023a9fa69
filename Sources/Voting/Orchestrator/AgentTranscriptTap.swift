import CodingAgent

/// Sits between an agent loop and the session store's transcript: forwards every entry, and
/// turns the ones the session cares about into coordination input (a turn's tool calls, usage)
/// and live events (phase changes, tool calls).
struct AgentTranscriptTap: TranscriptRecorder {
    let agent: Int
    let agentID: String
    let coordinator: SessionCoordinator
    let events: SessionEvents
    let downstream: any TranscriptRecorder

    func record(_ entry: TranscriptEntry) async {
        await downstream.record(entry)
        switch entry.event {
        case .assistant(let message, _):
            // Recorded before the turn's tools run, so the terminal tools can check the whole turn.
            await coordinator.noteTurn(agent, calls: message.toolCalls)
        case .toolCall(let call):
            guard call.name != "new_answer", call.name != "vote" else { return }
            await events.phase(.tool, agent: agentID, tool: call.name)
            let detail = String(call.arguments.prefix(160))
            await events.emit(.toolCall, agent: agentID) {
                $0.tool = call.name
                $0.detail = detail
            }
        case .toolResult(let result, _):
            if result.name != "new_answer", result.name != "vote" {
                await events.phase(.thinking, agent: agentID)
            }
        case .usage(let usage, let cost):
            await coordinator.addUsage(agent, usage: usage, costUSD: cost)
        case .context, .correction, .error, .checkpoint, .finished:
            break
        }
    }
}
