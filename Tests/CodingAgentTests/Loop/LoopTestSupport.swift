import Foundation
import Testing
@testable import CodingAgent

/// A terminal tool like the orchestrator's `new_answer`: returns its content as the payload.
struct FinishTool: AgentTool {
    var definition: ToolDefinition {
        ToolDefinition(name: "new_answer", description: "Submit your answer.", parameters: .objectSchema(["content": .property("string", "answer")], required: ["content"]))
    }
    var isTerminal: Bool { true }
    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        guard let content = arguments["content"]?.stringValue else { return .failure("new_answer needs `content`.") }
        return .terminal("Answer recorded.", payload: .string(content))
    }
}

/// A read-only tool that waits until `expected` calls are running at once (proves concurrency).
final class RendezvousTool: AgentTool, @unchecked Sendable {
    let expected: Int
    private let lock = NSLock()
    private var running = 0
    private(set) var peak = 0
    init(expected: Int) { self.expected = expected }

    var definition: ToolDefinition { ToolDefinition(name: "probe", description: "probe", parameters: .objectSchema([:])) }
    var isReadOnly: Bool { true }

    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        lock.withLock {
            running += 1
            peak = max(peak, running)
        }
        // Wait (bounded) for the others; sequential execution would never see them.
        for _ in 0..<200 where lock.withLock({ peak }) < expected {
            try? await Task.sleep(for: .milliseconds(10))
        }
        lock.withLock { running -= 1 }
        return .success("probed")
    }
}

func turn(_ text: String? = nil, calls: [(String, JSONValue)] = [], usage: ScriptedUsage? = nil) -> ScriptedTurn {
    ScriptedTurn(text: text, toolCalls: calls.isEmpty ? nil : calls.map { ScriptedToolCall(name: $0.0, arguments: $0.1) }, usage: usage)
}

func makeLoop(
    _ turns: [ScriptedTurn], in ws: TemporaryWorkspace, extraTools: [any AgentTool] = [FinishTool()],
    limits: AgentLimits = AgentLimits(), recorder: any TranscriptRecorder = DiscardingRecorder(),
    costMeter: TurnPricer? = nil, checkpoint: CheckpointHook? = nil
) -> (AgentLoop, ScriptedBackend) {
    let backend = ScriptedBackend(script: ScriptedScript(chunkSize: 3, turns: turns))
    let tools = ToolRegistry([ReadFileTool(), WriteFileTool(), EditFileTool(), ListFilesTool()] + extraTools)
    let loop = AgentLoop(
        backend: backend, tools: tools,
        configuration: AgentLoopConfiguration(model: "scripted", systemPrompt: "You are a coding agent.", limits: limits),
        context: ws.context, recorder: recorder, costMeter: costMeter, checkpoint: checkpoint)
    return (loop, backend)
}
