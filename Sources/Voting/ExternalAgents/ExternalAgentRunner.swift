import CodingAgent
import Foundation

/// Runs one external agent for the whole round: one run of its program per context (start,
/// and each restart after new answers), its output streamed into the transcript and the live
/// view, its answer or vote taken through the same coordinator calls as an API agent's.
///
/// A program answers in one of three ways: mg's tools over MCP (`mg mcp`) or the adapter
/// protocol while it runs; a final JSON line (`{"mg": "answer" | "vote", …}`); or by just
/// changing files and exiting, which submits its worktree with its final message as summary.
struct ExternalAgentRunner: SessionAgentRunner {
    let index: Int
    let spec: AgentSpec
    let external: ExternalAgentSpec
    let tools: ToolRegistry
    let toolContext: ToolContextSource
    let instructions: String
    let deadline: ContinuousClock.Instant?
    let timeLimit: Duration?
    let coordinator: SessionCoordinator
    let transcript: any TranscriptRecorder
    let events: SessionEvents
    let workspace: ExternalAgentWorkspace

    /// Runs until done; reports how it ended to the coordinator.
    func run() async {
        var restart = false
        var failure: String?
        var note: String?
        var idleRuns = 0
        while !Task.isCancelled {
            guard let start = await coordinator.beginRun(index, restart: restart) else { break }
            await events.phase(restart ? .restarting : .thinking, agent: spec.id)
            let worktree: String
            do {
                worktree = try await toolContext.resolve().workspace.path
            } catch {
                failure = "its worktree is not available: \(error)"
                break
            }
            let observer = RunObserver()
            let server = ToolCallServer(tools: tools, context: toolContext, transcript: transcript, observer: observer)
            let result: ExternalRun.Result
            do {
                let inputs = try workspace.inputs(
                    agent: spec.id, worktree: worktree, task: coordinator.setup.task, prompt: prompt(start.messages, note: note),
                    server: server,
                    tools: tools.definitions)
                let run = ExternalRun(
                    commandLine: ExternalCommandLine.make(external, inputs), spec: external, inputs: inputs,
                    server: server, transcript: transcript, tools: tools.definitions,
                    timeout: deadline.map { max(.zero, $0 - ContinuousClock.now) }, price: pricer)
                result = await run.execute()
            } catch {
                failure = "\(external.kind.rawValue) could not be run: \(error)"
                break
            }
            if Task.isCancelled { break }
            if result.timedOut {
                failure = timeLimit.map(AgentRunner.limitPassed) ?? "stopped: its time limit passed"
                break
            }
            var terminal = await observer.lastTerminal
            if terminal == nil, let problem = result.failure {
                failure = problem
                break
            }
            if terminal == nil, await observer.voteIgnored {
                // Its vote came before answers it had not seen: run again with them.
                restart = true
                continue
            }
            if terminal == nil {
                // No answer or vote through the tools: the final line, else the worktree itself.
                let (name, arguments) =
                    FinalDirective.find(in: result.finalText)
                    ?? ("new_answer", .object(["content": .string(Self.summary(result.finalText, kind: external.kind))]))
                let outcome = await server.handle(id: "final", name: name, arguments: arguments)
                if outcome.terminalPayload != nil, !outcome.isError { terminal = name } else { note = outcome.text }
            }
            if terminal == "vote" {
                note = nil
                guard await coordinator.waitAfterVote(index) == .restart else { break }
                restart = true
                continue
            }
            restart = false
            if terminal == "new_answer" {
                note = nil
                idleRuns = 0
            } else {
                // Refused: the next run's prompt says why (the coordinator counts the attempt).
                idleRuns += 1
                if idleRuns >= Self.maxIdleRuns {
                    failure = "\(Self.maxIdleRuns) runs in a row ended without an accepted answer or vote (last: \(note ?? "nothing"))"
                    break
                }
            }
        }
        await coordinator.agentEnded(index, failure: failure)
    }

    /// Counts a usage report in the agent's meter (the live view's tokens and cost): the cost the
    /// program reported, else the model's price when it is known.
    var pricer: @Sendable (TokenUsage, Double?) -> Double? {
        let meter = spec.costMeter
        let model = external.model ?? external.kind.rawValue
        let price = spec.price
        return { usage, reported in
            guard let meter else { return reported }
            return meter.record(model: model, usage: usage, reportedCostUSD: reported, price: price).costUSD
        }
    }

    /// Runs in a row that may end without an accepted answer or vote before the agent fails.
    static let maxIdleRuns = 3

    /// The prompt of one run: mg's instructions, the agent's own system prompt, the context
    /// (task, repository overview, answers) and, after a refusal, why.
    func prompt(_ messages: [Message], note: String?) -> String {
        var parts = [instructions]
        if let extra = spec.systemMessage?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty { parts.append(extra) }
        parts += messages.filter { $0.role == .user }.map(\.text)
        if let note { parts.append("Your previous answer or vote was not accepted: \(note)") }
        return parts.joined(separator: "\n\n")
    }

    /// The answer's summary from the program's final message: its last paragraph, or a
    /// generic line when it said nothing.
    static func summary(_ text: String, kind: ExternalAgentSpec.Kind) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "Changes made by \(kind.rawValue)." }
        return String(trimmed.suffix(2_000))
    }
}
