import Foundation
import Synchronization
import Testing
@testable import CodingAgent

/// `ToolContextSource.awaiting`: the first model call runs while the workspace is still being
/// prepared; tools wait for it, and an unavailable workspace fails the calls without running them.
@Suite struct DeferredToolContextTests {
    /// A context released by hand, like a worktree that is still being checked out.
    final class Gate: Sendable {
        private let state = Mutex<(context: Result<ToolContext, any Error>?, waiters: [CheckedContinuation<Void, Never>])>((nil, []))
        private(set) var resolutions: Int {
            get { counter.withLock { $0 } }
            set { counter.withLock { $0 = newValue } }
        }
        private let counter = Mutex(0)

        func release(_ result: Result<ToolContext, any Error>) {
            let waiters = state.withLock { state in
                state.context = result
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }

        var source: ToolContextSource {
            .awaiting { [self] in
                counter.withLock { $0 += 1 }
                while true {
                    if let result = state.withLock({ $0.context }) { return try result.get() }
                    await withCheckedContinuation { continuation in
                        let ready = state.withLock { state in
                            if state.context != nil { return true }
                            state.waiters.append(continuation)
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                }
            }
        }
    }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "the checkout failed" }
    }

    private func loop(_ turns: [ScriptedTurn], _ source: ToolContextSource) -> (AgentLoop, ScriptedBackend) {
        let backend = ScriptedBackend(script: ScriptedScript(turns: turns))
        let loop = AgentLoop(
            backend: backend, tools: ToolRegistry([WriteFileTool(), FinishTool()]),
            configuration: AgentLoopConfiguration(model: "scripted"), contextSource: source)
        return (loop, backend)
    }

    @Test func modelCallsRunBeforeTheWorkspaceIsReadyAndToolsWaitForIt() async throws {
        let ws = try TemporaryWorkspace()
        let gate = Gate()
        let (loop, backend) = loop(
            [
                turn(calls: [("write_file", ["path": "a.txt", "content": "hello\n"])]),
                turn(calls: [("new_answer", ["content": "done"])]),
            ], gate.source)
        let run = Task { await loop.run(messages: [.text(.user, "write a.txt")]) }

        // The first turn streams and its tool call waits for the workspace.
        for _ in 0..<3000 where gate.resolutions == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(backend.turnsPlayed == 1)
        #expect(gate.resolutions == 1)
        #expect(!FileManager.default.fileExists(atPath: ws.url.appendingPathComponent("a.txt").path))
        try await Task.sleep(for: .milliseconds(50))
        #expect(backend.turnsPlayed == 1, "no further model call while the tools wait")

        gate.release(.success(ws.context))
        let result = await run.value
        guard case .terminal(let name, _) = result.outcome else {
            Issue.record("unexpected outcome \(result.outcome)")
            return
        }
        #expect(name == "new_answer")
        #expect(try String(contentsOf: ws.url.appendingPathComponent("a.txt"), encoding: .utf8) == "hello\n")
    }

    @Test func anUnavailableWorkspaceFailsEveryCallWithoutRunningIt() async throws {
        let ws = try TemporaryWorkspace()
        let gate = Gate()
        gate.release(.failure(Unavailable()))
        let (loop, _) = loop(
            [
                turn(calls: [("write_file", ["path": "a.txt", "content": "x"]), ("new_answer", ["content": "done"])]),
                turn("I cannot work without a workspace."),
            ], gate.source)
        let result = await loop.run(messages: [.text(.user, "write a.txt")])

        let toolMessage = try #require(result.messages.first { $0.role == .tool })
        let results = toolMessage.parts.compactMap { part -> ToolResult? in
            if case .toolResult(let result) = part { return result }
            return nil
        }
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.isError && $0.content.contains("workspace is not available (the checkout failed)") })
        #expect(!FileManager.default.fileExists(atPath: ws.url.appendingPathComponent("a.txt").path))
        if case .terminal = result.outcome { Issue.record("a terminal call must not succeed without its workspace") }
    }
}
