import CodingAgent
import Foundation

/// Runs one agent for the whole round: a fresh `AgentLoop` run per context (start, and each
/// restart after new answers), waiting after a vote, until the round ends or the agent fails.
struct AgentRunner: SessionAgentRunner {
    let index: Int
    let spec: AgentSpec
    let tools: ToolRegistry
    let toolContext: ToolContextSource
    let systemPrompt: String
    let maxSteps: Int
    let deadline: ContinuousClock.Instant?
    /// The time limit behind `deadline`, for the failure message.
    let timeLimit: Duration?
    let coordinator: SessionCoordinator
    let transcript: any TranscriptRecorder
    let events: SessionEvents

    /// Runs until done; reports how it ended to the coordinator.
    func run() async {
        var restart = false
        var failure: String?
        var unavailable: BackendError?
        // The agent's MCP servers start in its worktree; a server that fails ends this agent only.
        let mcp = await MCPAgentTools.start(spec: spec, tools: tools, context: toolContext, events: events)
        let tools: ToolRegistry
        switch mcp {
        case .success(let started): tools = started.tools
        case .failure(let problem):
            await coordinator.agentEnded(index, failure: problem.description)
            return
        }
        // Once `auto` has fallen back to text calls, the agent's later runs start there.
        var toolMode = spec.toolMode
        while !Task.isCancelled {
            guard let start = await coordinator.beginRun(index, restart: restart) else { break }
            await events.phase(restart ? .restarting : .thinking, agent: spec.id)
            let configuration = AgentLoopConfiguration(
                model: spec.model, systemPrompt: systemPrompt, settings: spec.settings,
                limits: AgentLimits(
                    maxSteps: maxSteps, deadline: deadline, costCeilingUSD: start.remainingBudgetUSD),
                toolMode: toolMode, editFormat: spec.editFormat,
                answerSubmission: AnswerSubmission(toolName: "new_answer", argument: "content"),
                contextWindow: spec.contextWindow, cacheKey: "\(coordinator.setup.session)/\(spec.id)", cacheSlot: index,
                hiddenTools: { [coordinator, index] in await coordinator.unusableTools(index) })
            let coordinator = self.coordinator
            let index = self.index
            let loop = AgentLoop(
                backend: spec.backend, tools: tools, configuration: configuration, contextSource: toolContext,
                recorder: transcript, costMeter: spec.pricer,
                checkpoint: { _ in await coordinator.checkpoint(index) })
            await transcript.record(
                TranscriptEntry(step: 0, event: .context(start.messages.map(\.text).joined(separator: "\n"))))
            let result = await loop.run(messages: start.messages)
            toolMode = result.toolMode
            switch result.outcome {
            case .terminal(let name, _) where name == "new_answer":
                restart = false
                continue
            case .terminal:
                // A counted vote: wait for new answers (restart) or the end of the round.
                if await coordinator.waitAfterVote(index) == .restart {
                    restart = true
                    continue
                }
            case .stopped, .cancelled:
                break
            case .costCeilingReached:
                await coordinator.endRound(.costCeiling)
            case .deadlinePassed:
                failure = timeLimit.map(Self.limitPassed) ?? result.outcome.summary
            case .backendFailed(let error):
                failure = result.outcome.summary
                if error.isUnavailable { unavailable = error }
            case .textReply, .noToolCall, .repeatedFailure, .repeatedCall, .stepLimitReached:
                failure = result.outcome.summary
            }
            break
        }
        await mcp.stop()
        await coordinator.agentEnded(
            index, failure: failure,
            unavailableBackend: unavailable.map { "\(spec.backend.displayName): \($0)" })
    }

    /// "stopped: its 90 s time limit passed (…)" — names the settings that raise it.
    static func limitPassed(_ limit: Duration) -> String {
        "stopped: its \(limit.inSeconds.formatted()) s time limit passed (timeout_seconds, --agent-timeout)"
    }
}
