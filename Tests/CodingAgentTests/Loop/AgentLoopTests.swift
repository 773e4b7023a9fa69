import Foundation
import Testing
@testable import CodingAgent

@Suite struct AgentLoopTests {
    @Test func executesToolsFeedsResultsBackAndEndsOnTheTerminalTool() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, backend) = makeLoop(
            [
                turn("Creating the file.", calls: [("write_file", ["path": "hello.txt", "content": "hi\n"])], usage: .init(input: 10, output: 5)),
                turn(calls: [("read_file", ["path": "hello.txt"])], usage: .init(input: 20, output: 5)),
                turn(calls: [("new_answer", ["content": "wrote hello.txt"])], usage: .init(input: 30, output: 5)),
            ], in: ws)
        let result = await loop.run(messages: [.text(.user, "Create hello.txt")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "wrote hello.txt"))
        #expect(result.steps == 3)
        #expect(result.usage == TokenUsage(inputTokens: 60, outputTokens: 15))
        #expect(try ws.read("hello.txt") == "hi\n")
        let requests = backend.receivedRequests
        #expect(requests.count == 3)
        #expect(requests[0].messages.first == .text(.system, "You are a coding agent."))
        #expect(requests[0].tools.map(\.name) == ["read_file", "write_file", "edit_file", "list_files", "new_answer"])
        // Every tool call of a request's history has its result in the same request.
        for request in requests {
            let calls = Set(request.messages.flatMap(\.toolCalls).map(\.id))
            let results = Set(request.messages.flatMap(\.parts).compactMap { part -> String? in
                if case .toolResult(let result) = part { return result.callID } else { return nil }
            })
            #expect(calls == results)
        }
        let lastResults = requests[2].messages.last?.parts ?? []
        guard case .toolResult(let readResult)? = lastResults.first else {
            Issue.record("the read_file result was not fed back")
            return
        }
        #expect(readResult.content.contains("     1\thi"))
        #expect(requests[1].messages[2].text == "Creating the file.")
    }

    @Test func terminalCallSkipsTheCallsAfterIt() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, _) = makeLoop([turn(calls: [("new_answer", ["content": "x"]), ("write_file", ["path": "late.txt", "content": "no"])])], in: ws)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "x"))
        #expect(!FileManager.default.fileExists(atPath: ws.root.path + "/late.txt"))
        #expect(result.messages.last?.parts.count == 2)
    }

    @Test func correctsTurnsWithoutToolCallsUpToTheLimit() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, backend) = makeLoop([turn("I think it is done."), turn("Really done."), turn("Done!"), turn("Still done.")], in: ws)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .noToolCall(corrections: 3))
        #expect(result.steps == 4)
        let corrections = backend.receivedRequests.last?.messages.filter { $0.role == .user && $0.text.hasPrefix("You did not call a tool") }
        // The first reply gets the native correction; after the second, `auto` mode describes the
        // tools in the prompt and asks for a call written as text.
        #expect(corrections?.count == 1)
        #expect(corrections?.first?.text.contains("You must call one of: new_answer") == true)
        let textCorrections = backend.receivedRequests.last?.messages.filter {
            $0.role == .user && $0.text.hasPrefix("Your reply did not contain a tool call")
        }
        #expect(textCorrections?.count == 2)
        #expect(result.toolMode == .text)
    }

    @Test func correctionRecoversAndRunsOutOfScriptGracefully() async throws {
        let ws = try TemporaryWorkspace()
        let (recovering, _) = makeLoop([turn("Let me think."), turn(calls: [("new_answer", ["content": "ok"])])], in: ws)
        #expect(await recovering.run(messages: [.text(.user, "go")]).outcome == .terminal(toolName: "new_answer", payload: "ok"))
        let (exhausted, backend) = makeLoop([turn(calls: [("list_files", [:])])], in: ws)
        let result = await exhausted.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .noToolCall(corrections: 3))
        #expect(backend.receivedRequests.count == 5)
        #expect(result.messages.contains { $0.text.contains("no more turns") })
    }

    @Test func textReplyEndsALoopWithoutTerminalTools() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, _) = makeLoop([turn("The answer is 4.")], in: ws, extraTools: [])
        #expect(await loop.run(messages: [.text(.user, "2+2?")]).outcome == .textReply("The answer is 4."))
    }

    @Test func stopsAtTheStepLimit() async throws {
        let ws = try TemporaryWorkspace()
        let turns = (0..<10).map { turn(calls: [("read_file", ["path": .string("missing\($0).txt")])]) }
        let (loop, backend) = makeLoop(turns, in: ws, limits: AgentLimits(maxSteps: 3))
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .stepLimitReached(steps: 3))
        #expect(backend.receivedRequests.count == 3)
    }

    @Test func stopsAtTheCostCeiling() async throws {
        let ws = try TemporaryWorkspace()
        let turns = Array(repeating: turn(calls: [("list_files", [:])], usage: .init(input: 100, output: 0)), count: 10)
        let (loop, backend) = makeLoop(turns, in: ws, limits: AgentLimits(costCeilingUSD: 1.5), costMeter: { Double($0.inputTokens) / 100 })
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .costCeilingReached(spentUSD: 2, ceilingUSD: 1.5))
        #expect(result.costUSD == 2)
        #expect(backend.receivedRequests.count == 2)
    }

    @Test func cancellationStopsTheLoopAndItsStreamWithinASecond() async throws {
        let ws = try TemporaryWorkspace()
        let slow = ScriptedTurn(text: String(repeating: "slow ", count: 200), chunkDelayMilliseconds: 200)
        let (loop, backend) = makeLoop([slow], in: ws)
        let task = Task { await loop.run(messages: [.text(.user, "go")]) }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        let result = await task.value
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(result.outcome == .cancelled)
        #expect(backend.abandonedStreams == 1)
    }

    @Test func deadlineInterruptsAStreamingTurn() async throws {
        let ws = try TemporaryWorkspace()
        let slow = ScriptedTurn(text: "never arrives", delayMilliseconds: 60_000)
        let (loop, backend) = makeLoop([slow], in: ws, limits: AgentLimits(deadline: .now + .milliseconds(200)))
        let start = ContinuousClock.now
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .deadlinePassed)
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(backend.abandonedStreams == 1)
    }

    @Test func recorderSeesEachCallBeforeItsResult() async throws {
        let ws = try TemporaryWorkspace()
        let recorder = InMemoryRecorder()
        let (loop, _) = makeLoop(
            [
                turn(calls: [("write_file", ["path": "a.txt", "content": "a"]), ("read_file", ["path": "a.txt"])], usage: .init(input: 1, output: 1)),
                turn(calls: [("new_answer", ["content": "done"])]),
            ], in: ws, recorder: recorder)
        _ = await loop.run(messages: [.text(.user, "go")])
        let events = await recorder.entries.map(\.event)
        var seenCalls: Set<String> = []
        var resultsSeen = 0
        for event in events {
            if case .toolCall(let call) = event { seenCalls.insert(call.id) }
            if case .toolResult(let result, _) = event {
                #expect(seenCalls.contains(result.callID))
                resultsSeen += 1
            }
        }
        #expect(resultsSeen == 3)
        #expect(events.contains { if case .usage = $0 { true } else { false } })
        guard case .finished(let summary)? = events.last else {
            Issue.record("no finished entry")
            return
        }
        #expect(summary == "finished with new_answer")
    }

    @Test func consecutiveReadOnlyCallsRunConcurrently() async throws {
        let ws = try TemporaryWorkspace()
        let probe = RendezvousTool(expected: 3)
        let (loop, _) = makeLoop(
            [turn(calls: [("probe", [:]), ("probe", [:]), ("probe", [:])]), turn(calls: [("new_answer", ["content": "x"])])],
            in: ws, extraTools: [FinishTool(), probe])
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "x"))
        #expect(probe.peak == 3)
    }

    @Test func bareJSONToolCallsInTextAreExecuted() async throws {
        let ws = try TemporaryWorkspace()
        let (loop, backend) = makeLoop(
            [
                turn("<tool_call>\n{\"name\": \"write_file\", \"arguments\": {\"path\": \"b.txt\", \"content\": \"bare\"}}\n</tool_call>"),
                turn("```json\n{\"name\": \"new_answer\", \"parameters\": {\"content\": \"ok\"}}\n```"),
            ], in: ws)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "ok"))
        #expect(try ws.read("b.txt") == "bare")
        #expect(backend.receivedRequests[1].messages.contains { $0.toolCalls.first?.name == "write_file" })
    }

    @Test func modelErrorsAreCorrectedAndRetriedOtherFailuresEndTheLoop() async throws {
        let ws = try TemporaryWorkspace()
        let invented = ScriptedTurn(fail: ScriptedFailure(kind: "model_error", status: 500, message: "unknown tool: shell"))
        let (loop, backend) = makeLoop([invented, turn(calls: [("new_answer", ["content": "ok"])])], in: ws)
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "ok"))
        #expect(backend.receivedRequests[1].messages.last?.text.contains("unknown tool: shell") == true)
        let (failing, _) = makeLoop([ScriptedTurn(fail: ScriptedFailure(kind: "server_error", status: 503))], in: ws)
        let failed = await failing.run(messages: [.text(.user, "go")])
        guard case .backendFailed(.serverError(_, 503, _)) = failed.outcome else {
            Issue.record("expected a server error, got \(failed.outcome)")
            return
        }
    }

    @Test func unknownToolsAndBadArgumentsBecomeReadableErrors() async throws {
        let ws = try TemporaryWorkspace()
        let badJSON = ScriptedToolCall(name: "read_file", arguments: .string("{\"path\": "))
        let (loop, backend) = makeLoop(
            [
                turn(calls: [("shell", ["cmd": "ls"])]),
                ScriptedTurn(toolCalls: [badJSON, ScriptedToolCall(name: "read_file", arguments: ["limit": 3])]),
                turn(calls: [("new_answer", ["content": "x"])]),
            ], in: ws)
        _ = await loop.run(messages: [.text(.user, "go")])
        let results = backend.receivedRequests[2].messages.flatMap(\.parts).compactMap { part -> ToolResult? in
            if case .toolResult(let result) = part { return result } else { return nil }
        }
        #expect(results.count == 3)
        #expect(results.allSatisfy { $0.isError })
        #expect(results[0].content.contains("no tool named \"shell\"") && results[0].content.contains("read_file, write_file"))
        #expect(results[1].content.contains("not valid JSON"))
        #expect(results[2].content.contains("`path`"))
    }

    @Test func checkpointCanRestartAndStopTheLoop() async throws {
        let ws = try TemporaryWorkspace()
        let calls = Counter()
        let (loop, backend) = makeLoop(
            Array(repeating: turn(calls: [("list_files", [:])]), count: 5), in: ws,
            checkpoint: { state in
                switch calls.next() {
                case 1: return .restart(messages: [.text(.user, "New answers arrived: agent2 fixed it.")])
                case 2: return .proceed
                default: return .stop(reason: "round over")
                }
            })
        let result = await loop.run(messages: [.text(.user, "go")])
        #expect(result.outcome == .stopped(reason: "round over"))
        let second = backend.receivedRequests[1].messages
        #expect(second.count == 2 && second[1].text == "New answers arrived: agent2 fixed it.")
        #expect(backend.receivedRequests.count == 3)
    }

    @Test func mediaFromViewMediaIsAttachedToTheNextRequest() async throws {
        let ws = try TemporaryWorkspace()
        try ws.writeBytes("shot.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        let (loop, backend) = makeLoop(
            [turn(calls: [("view_media", ["path": "shot.png"])]), turn(calls: [("new_answer", ["content": "seen"])])], in: ws,
            extraTools: [FinishTool(), ViewMediaTool()])
        _ = await loop.run(messages: [.text(.user, "look")])
        let last = try #require(backend.receivedRequests[1].messages.last)
        #expect(last.role == .user)
        #expect(last.parts.contains { if case .image(let ref) = $0 { ref.mimeType == "image/png" } else { false } })
    }
}

/// A thread-safe call counter for checkpoint hooks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
