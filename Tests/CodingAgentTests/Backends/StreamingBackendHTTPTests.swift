import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Every provider backend over real HTTP on 127.0.0.1, against a scripted server speaking that
/// provider's streaming format, with request invariants checked on what the server received.
@Suite struct StreamingBackendHTTPTests {
    static let key = "sk-test-ABCDEFGH12345678wxyz"
    static let calls = [
        PlannedCall(
            id: "call_r1", name: "read_file",
            arguments: #"{"path":"Sources/mg/main.swift","offset":10,"limit":400}"#),
        PlannedCall(id: "call_l2", name: "list_files", arguments: #"{"path":"Tests/CodingAgentTests"}"#),
    ]

    let sleeps = Recorder<Duration>()

    /// Instant retries; the requested waits are recorded instead of slept.
    var retry: RetryPolicy {
        let sleeps = sleeps
        return RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(200), sleep: { sleeps.append($0) })
    }

    let limits = TransferLimits(
        totalDeadline: .seconds(20), idleTimeout: .milliseconds(400), connectTimeout: .seconds(5))

    func request(_ dialect: ProviderDialect, messages: [Message]? = nil) -> ModelRequest {
        ModelRequest(
            model: dialect.model,
            messages: messages ?? [.text(.system, "Be brief."), .text(.user, "What is in Sources?")],
            tools: BackendFixtures.tools)
    }

    func run(
        _ dialect: ProviderDialect, _ request: ModelRequest? = nil,
        handler: @escaping LoopbackHTTPServer.Handler
    ) async throws -> (chunks: [StreamChunk], error: (any Error)?, server: LoopbackHTTPServer) {
        let server = try LoopbackHTTPServer(handler: handler)
        let backend = dialect.backend(server: server, key: Self.key, retry: retry, limits: limits)
        let result = await collect(backend.stream(request ?? self.request(dialect)))
        server.stop()
        // Invariants for every request of every test: the key only in its header, path as documented.
        for recorded in server.requests {
            #expect(!recorded.bodyText.contains(Self.key), "the API key leaked into a request body")
            #expect(recorded.path == dialect.path(model: dialect.model))
            let (name, value) = dialect.authHeader(Self.key)
            #expect(recorded.header(name) == value)
            let carriers = recorded.headers.filter { $0.value.contains(Self.key) }.map {
                $0.name.lowercased()
            }
            #expect(carriers == [name.lowercased()], "the key must travel only in \(name)")
        }
        if let error = result.error { #expect(!String(describing: error).contains(Self.key)) }
        return (result.chunks, result.error, server)
    }

    @Test(arguments: ProviderDialect.allCases)
    func plainTextInSmallPieces(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["Sources ", "holds ", "the ", "code. ", "Ünïcödé ✓"])
        let (chunks, error, server) = try await run(dialect) { _ in .sse(frames, pieceSize: 7) }
        #expect(error == nil)
        #expect(joinedText(chunks) == "Sources holds the code. Ünïcödé ✓")
        #expect(chunks.last == .finish(.stop))
        #expect(server.requests.count == 1)
    }

    @Test(arguments: ProviderDialect.allCases)
    func toolCallArgumentsSplitAcrossManyChunks(_ dialect: ProviderDialect) async throws {
        let call = PlannedCall(
            id: "call_big", name: "read_file",
            arguments: #"{"path":"a/very/long/path/to/some/file.swift","limit":1000}"#)
        let frames = dialect.frames(calls: [call], fragmentSize: 2)
        let (chunks, error, _) = try await run(dialect) { _ in .sse(frames, pieceSize: 11) }
        #expect(error == nil)
        let assembled = try #require(assembledCalls(chunks)[0])
        #expect(assembled.name == "read_file" && assembled.ended)
        #expect(JSONValue.parse(assembled.arguments) == JSONValue.parse(call.arguments))
        #expect(chunks.last == .finish(.toolCalls))
    }

    @Test(arguments: ProviderDialect.allCases)
    func parallelToolCallsThenResultsInNextRequest(_ dialect: ProviderDialect) async throws {
        let first = dialect.frames(text: ["Looking."], calls: Self.calls, fragmentSize: 5)
        let second = dialect.frames(text: ["Done."])
        let server = try LoopbackHTTPServer { request in .sse(request.sequenceNumber == 0 ? first : second) }
        defer { server.stop() }
        let backend = dialect.backend(server: server, key: Self.key, retry: retry, limits: limits)
        var conversation = request(dialect).messages
        let turn1 = await collect(backend.stream(request(dialect, messages: conversation)))
        #expect(turn1.error == nil)
        let calls = assembledCalls(turn1.chunks).sorted { $0.key < $1.key }.map {
            ToolCall(id: $0.value.id, name: $0.value.name, arguments: $0.value.arguments)
        }
        #expect(calls.map(\.name) == ["read_file", "list_files"])
        // The loop's job, done by hand: record the calls, answer each.
        conversation.append(
            Message(role: .assistant, parts: [.text(joinedText(turn1.chunks))] + calls.map { .toolCall($0) }))
        conversation.append(
            Message(
                role: .tool,
                parts: calls.map {
                    .toolResult(ToolResult(callID: $0.id, name: $0.name, content: "ok \($0.name)"))
                }))
        let turn2 = await collect(backend.stream(request(dialect, messages: conversation)))
        #expect(turn2.error == nil)
        #expect(joinedText(turn2.chunks) == "Done.")
        let bodies = try server.requests.map { try #require($0.bodyJSON as? [String: Any]) }
        #expect(bodies.count == 2)
        for body in bodies {
            #expect(dialect.unansweredToolCalls(body).isEmpty, "every tool call needs a result")
        }
    }

    @Test(arguments: ProviderDialect.allCases)
    func usageIsReportedAndPriced(_ dialect: ProviderDialect) async throws {
        let planned = PlannedUsage(input: 1000, output: 200, cached: 400)
        let frames = dialect.frames(text: ["ok"], usage: planned)
        let (chunks, error, _) = try await run(dialect) { _ in .sse(frames) }
        #expect(error == nil)
        let usage = try #require(chunks.compactMap { if case .usage(let u) = $0 { u } else { nil } }.last)
        #expect(usage == TokenUsage(inputTokens: 1000, outputTokens: 200, cachedInputTokens: 400))
        let meter = CostMeter()
        let record = meter.record(model: dialect.model, usage: usage)
        let price = try #require(PriceTable.standard.price(for: dialect.model))
        let expected =
            (600 * price.inputPerMillion + 400 * (price.cachedInputPerMillion ?? 0) + 200
                * price.outputPerMillion) / 1_000_000
        #expect(abs((record.costUSD ?? -1) - expected) < 1e-12)
        #expect(meter.totalUsage == usage)
    }

    @Test(arguments: ProviderDialect.allCases)
    func rateLimitThenSuccessHonoursRetryAfter(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["after the wait"])
        let (chunks, error, server) = try await run(dialect) { request in
            request.sequenceNumber == 0
                ? .json(
                    status: 429, #"{"error":{"message":"Rate limit reached","type":"rate_limit_error"}}"#,
                    headers: [("Retry-After", "3")])
                : .sse(frames)
        }
        #expect(error == nil)
        #expect(joinedText(chunks) == "after the wait")
        #expect(server.requests.count == 2)
        #expect(sleeps.all.count == 1)
        #expect((sleeps.all.first ?? .zero) >= .seconds(3))
    }

    @Test(arguments: ProviderDialect.allCases)
    func serverErrorThreeTimesFails(_ dialect: ProviderDialect) async throws {
        let (chunks, error, server) = try await run(dialect) { _ in
            .json(status: 500, #"{"error":{"message":"internal failure"}}"#)
        }
        #expect(chunks.isEmpty)
        #expect(server.requests.count == 3)
        guard case .serverError(_, let status, let message) = error as? BackendError else {
            Issue.record("expected serverError, got \(String(describing: error))")
            return
        }
        #expect(status == 500 && message.contains("internal failure"))
    }

    @Test(arguments: ProviderDialect.allCases)
    func resetAfterOutputIsNotRetried(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["half an ans"], terminal: false)
        let (chunks, error, server) = try await run(dialect) { _ in .sse(frames, ending: .reset) }
        #expect(joinedText(chunks) == "half an ans")
        #expect(server.requests.count == 1, "no retry once output has streamed")
        guard case .network = error as? BackendError else {
            Issue.record("expected a network error, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: ProviderDialect.allCases)
    func resetBeforeOutputIsRetried(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["second try"])
        let (chunks, error, server) = try await run(dialect) { request in
            request.sequenceNumber == 0
                ? ScriptedHTTPResponse(
                    status: 200, headers: [("Content-Type", "text/event-stream")], framing: .chunked,
                    steps: [.reset]) : .sse(frames)
        }
        #expect(error == nil)
        #expect(joinedText(chunks) == "second try")
        #expect(server.requests.count == 2)
    }

    @Test(arguments: ProviderDialect.allCases)
    func streamEndingWithoutTerminalSignalIsTruncated(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["cut"], calls: [Self.calls[0]], terminal: false)
        let (chunks, error, server) = try await run(dialect) { _ in .sse(frames) }
        #expect(joinedText(chunks) == "cut")
        #expect(server.requests.count == 1)
        guard case .truncatedStream = error as? BackendError else {
            Issue.record("expected truncatedStream, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: ProviderDialect.allCases)
    func idleStallTimesOut(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["then silence"], terminal: false)
        let start = ContinuousClock.now
        let (chunks, error, server) = try await run(dialect) { _ in .sse(frames, ending: .stall) }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(joinedText(chunks) == "then silence")
        #expect(server.requests.count == 1)
        guard case .timeout = error as? BackendError else {
            Issue.record("expected timeout, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: ProviderDialect.allCases)
    func unauthorizedNamesTheKeyVariable(_ dialect: ProviderDialect) async throws {
        let (_, error, server) = try await run(dialect) { _ in
            .json(status: 401, #"{"error":{"message":"Incorrect API key provided: \#(Self.key)"}}"#)
        }
        #expect(server.requests.count == 1, "401 is not retried")
        let backendError = try #require(error as? BackendError)
        guard case .unauthorized(_, 401, _, let variable) = backendError else {
            Issue.record("expected unauthorized, got \(backendError)")
            return
        }
        #expect(variable == dialect.keyVariable)
        #expect(backendError.description.contains("Check \(dialect.keyVariable)"))
        #expect(!backendError.description.contains(Self.key))
    }

    @Test(arguments: ProviderDialect.allCases)
    func mediaIsEncodedAsTheProviderExpects(_ dialect: ProviderDialect) async throws {
        let fixtures = try BackendFixtures()
        defer { fixtures.remove() }
        let messages = [
            Message(
                role: .user, parts: [.text("See and hear."), .image(fixtures.image), .audio(fixtures.audio)])
        ]
        let (_, error, server) = try await run(dialect, request(dialect, messages: messages)) { _ in
            .sse(dialect.frames(text: ["seen"]))
        }
        #expect(error == nil)
        let body = try #require(server.requests.first?.bodyJSON as? [String: Any])
        let payloads = dialect.mediaPayloads(body)
        #expect(Set(payloads.keys) == dialect.nativeMedia)
        #expect(payloads["image"]?.compactMap { Data(base64Encoded: $0) } == [fixtures.imageBytes])
        if dialect.nativeMedia.contains("audio") {
            #expect(payloads["audio"]?.compactMap { Data(base64Encoded: $0) } == [fixtures.audioBytes])
        } else {
            #expect(
                server.requests.first?.bodyText.contains("voice.wav") == true,
                "unsupported audio is announced in text")
        }
    }

    @Test(arguments: ProviderDialect.allCases)
    func serverErrorOverInventedToolAsksForCorrection(_ dialect: ProviderDialect) async throws {
        let (_, error, server) = try await run(dialect) { _ in
            .json(
                status: 500,
                #"{"error":{"message":"Unknown tool 'frobnicate_repo' requested by the model","type":"server_error"}}"#
            )
        }
        #expect(server.requests.count == 1, "retrying the same request would fail the same way")
        let backendError = try #require(error as? BackendError)
        #expect(backendError.isRetryableWithCorrection)
        let correction = try #require(backendError.correctiveMessage)
        #expect(
            correction.contains("frobnicate_repo") && correction.contains("read_file")
                && correction.contains("list_files"))
    }

    /// Each provider's own words for "the conversation is longer than the context window".
    static func contextOverflowBody(_ dialect: ProviderDialect) -> String {
        switch dialect {
        case .chat:
            #"{"error":{"code":400,"message":"request (4097 tokens) exceeds the available context size (4096 tokens), try increasing it","type":"exceed_context_size_error"}}"#
        case .responses:
            #"{"error":{"message":"Your input exceeds the context window of this model. Please adjust your input and try again.","type":"invalid_request_error","code":"context_length_exceeded"}}"#
        case .anthropic:
            #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208451 tokens > 200000 maximum"}}"#
        case .gemini:
            #"{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#
        }
    }

    @Test(arguments: ProviderDialect.allCases)
    func contextOverflowIsRecognised(_ dialect: ProviderDialect) async throws {
        let (_, error, server) = try await run(dialect) { _ in .json(status: 400, Self.contextOverflowBody(dialect)) }
        #expect(server.requests.count == 1, "the same request would overflow again")
        let backendError = try #require(error as? BackendError)
        #expect(backendError.isContextOverflow, "\(backendError)")
        #expect(!backendError.isRetryableWithCorrection)
        let other = BackendError.badRequest(provider: "x", status: 400, message: "model 'gpt-9' not found")
        #expect(!other.isContextOverflow)
    }

    @Test func llamaCppParseFailureAsksForCorrection() async throws {
        let (_, error, _) = try await run(.chat) { _ in
            .json(
                status: 500,
                #"{"error":{"code":500,"message":"Failed to parse tool call arguments as JSON: [json.exception.parse_error.101]","type":"server_error"}}"#
            )
        }
        #expect((error as? BackendError)?.isRetryableWithCorrection == true)
    }

    @Test func plainServerErrorIsNotMistakenForAToolProblem() {
        let error = UnknownToolDetector.classify(
            status: 500, body: #"{"error":{"message":"CUDA out of memory"}}"#, tools: BackendFixtures.tools,
            provider: "vLLM")
        #expect(error == nil)
        let known = UnknownToolDetector.classify(
            status: 500, body: #"{"error":{"message":"tool 'read_file' failed: not found"}}"#,
            tools: BackendFixtures.tools, provider: "vLLM")
        #expect(known == nil, "a tool that exists is not an invented one")
    }

    @Test(arguments: ProviderDialect.allCases)
    func cancellingTheConsumerAbortsTheTransfer(_ dialect: ProviderDialect) async throws {
        let frames = dialect.frames(text: ["first words"], terminal: false)
        let server = try LoopbackHTTPServer { _ in .sse(frames, ending: .stall) }
        defer { server.stop() }
        let backend = dialect.backend(
            server: server, key: Self.key, retry: retry,
            limits: TransferLimits(totalDeadline: .seconds(60), idleTimeout: .seconds(60)))
        let task = Task {
            var seen: [StreamChunk] = []
            for try await chunk in backend.stream(request(dialect)) {
                seen.append(chunk)
                if case .textDelta = chunk { break }
            }
            return seen
        }
        let seen = try await task.value
        #expect(joinedText(seen) == "first words")
        // Leaving the loop drops the stream; the stalled connection must be closed by the client.
        #expect(await server.waitUntil(timeout: .seconds(5)) { $0.connectionsClosedByClient >= 1 })
    }

    @Test func factoryBuiltLocalBackendSendsNoKey() async throws {
        let server = try LoopbackHTTPServer { _ in .sse(ProviderDialect.chat.frames(text: ["local"])) }
        defer { server.stop() }
        let factory = BackendFactory(
            transport: LibcurlTransport(environment: [:]), environment: ["OPENAI_API_KEY": Self.key],
            retry: retry)
        let backend = try factory.makeBackend(
            BackendConfiguration(type: "vllm", model: "qwen3-8b", baseURL: server.baseURL + "/v1"))
        let result = await collect(
            backend.stream(ModelRequest(model: "qwen3-8b", messages: [.text(.user, "hi")])))
        #expect(result.error == nil)
        #expect(joinedText(result.chunks) == "local")
        let recorded = try #require(server.requests.first)
        #expect(recorded.header("Authorization") == nil)
        #expect(!recorded.headers.contains { $0.value.contains(Self.key) })
    }
}
