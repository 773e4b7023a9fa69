import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// The agent loop driving a real provider backend over loopback HTTP: the paths where the loop
/// and the transport meet (server-side tool rejection, cancellation of a live transfer).
@Suite struct AgentLoopOverHTTPTests {
    private static let instant = RetryPolicy(maxAttempts: 1, sleep: { _ in })

    private func loop(server: LoopbackHTTPServer, dialect: ProviderDialect, in ws: TemporaryWorkspace) -> AgentLoop {
        let backend = dialect.backend(
            server: server, key: "sk-test-0000", retry: Self.instant,
            limits: TransferLimits(totalDeadline: .seconds(60), idleTimeout: .seconds(60)))
        return AgentLoop(
            backend: backend, tools: ToolRegistry([ReadFileTool(), FinishTool()]),
            configuration: AgentLoopConfiguration(model: dialect.model, systemPrompt: "You fix code."),
            context: ws.context, recorder: DiscardingRecorder())
    }

    @Test(arguments: [ProviderDialect.chat, .anthropic])
    func aServerRejectingAnInventedToolGetsACorrectionAndTheLoopGoesOn(_ dialect: ProviderDialect) async throws {
        let ws = try TemporaryWorkspace()
        let finish = PlannedCall(id: "call_1", name: "new_answer", arguments: #"{"content":"fixed"}"#)
        let server = try LoopbackHTTPServer { request in
            if request.sequenceNumber == 0 {
                return .json(status: 500, #"{"error":{"message":"Unknown tool 'frobnicate_repo' requested by the model"}}"#)
            }
            return .sse(dialect.frames(calls: [finish]))
        }
        defer { server.stop() }
        let result = await loop(server: server, dialect: dialect, in: ws).run(messages: [.text(.user, "Fix it.")])
        guard case .terminal(let call, let payload) = result.outcome else {
            Issue.record("expected the terminal tool, got \(result.outcome)")
            return
        }
        #expect(call == "new_answer" && payload == .string("fixed"))
        #expect(server.requests.count == 2)
        let retried = try #require(server.requests.last?.bodyText)
        #expect(retried.contains("frobnicate_repo") && retried.contains("read_file"), "the correction names the invented and the real tools")
    }

    @Test func cancellingTheLoopAbortsTheLiveTransferWithinASecond() async throws {
        let ws = try TemporaryWorkspace()
        let dialect = ProviderDialect.chat
        let server = try LoopbackHTTPServer { _ in .sse(dialect.frames(text: ["thinking…"], terminal: false), ending: .stall) }
        defer { server.stop() }
        let agentLoop = loop(server: server, dialect: dialect, in: ws)
        let task = Task { await agentLoop.run(messages: [.text(.user, "Fix it.")]) }
        #expect(await server.waitUntil(timeout: .seconds(10)) { $0.requestsReceived >= 1 })
        try await Task.sleep(for: .milliseconds(200))
        let cancelledAt = ContinuousClock.now
        task.cancel()
        let result = await task.value
        #expect(ContinuousClock.now - cancelledAt < .seconds(1))
        #expect(result.outcome == .cancelled)
        #expect(await server.waitUntil(timeout: .seconds(5)) { $0.connectionsClosedByClient >= 1 })
    }
}
