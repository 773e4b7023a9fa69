import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Prompt caching per provider — what each request asks for, and what comes back — plus the
/// llama.cpp server's `/props` and a recorded stream of the local 1.5B model.
@Suite struct PromptCacheTests {
    static let hint = PromptCacheHint(key: "20261204-171129-e411/a1", slot: 1)

    func request(cache: PromptCacheHint?) -> ModelRequest {
        ModelRequest(
            model: "m",
            messages: [
                .text(.system, "You are a coding agent."), .text(.user, "# Task\n\nfix it"),
                Message(role: .assistant, parts: [.toolCall(ToolCall(id: "c1", name: "read_file", arguments: #"{"path":"a"}"#))]),
                Message(role: .tool, parts: [.toolResult(ToolResult(callID: "c1", name: "read_file", content: "x"))]),
            ],
            tools: [
                ToolDefinition(name: "read_file", description: "Read.", parameters: .objectSchema([:])),
                ToolDefinition(name: "new_answer", description: "Answer.", parameters: .objectSchema([:])),
            ],
            cache: cache)
    }

    let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1/v1")

    @Test func llamaCppGetsItsSlotAndCachePromptOnlyWithASlot() throws {
        let format = OpenAIChatFormat(endpoint: endpoint, promptCache: .llamaCpp)
        let body = try bodyObject(format.httpRequest(for: request(cache: Self.hint)).body)
        #expect(body["cache_prompt"] as? Bool == true && body["id_slot"] as? Int == 1)
        #expect(body["prompt_cache_key"] == nil)
        let unslotted = try bodyObject(format.httpRequest(for: request(cache: PromptCacheHint(key: "k"))).body)
        #expect(unslotted["id_slot"] == nil && unslotted["cache_prompt"] == nil)
        #expect(format.propertiesRequest()?.url == "http://127.0.0.1:1/props")
        #expect(OpenAIChatFormat(endpoint: endpoint).propertiesRequest() == nil, "only local servers are asked")
    }

    @Test func openAIGetsThePromptCacheKey() throws {
        let chat = try bodyObject(OpenAIChatFormat(endpoint: endpoint, promptCache: .openAI).httpRequest(for: request(cache: Self.hint)).body)
        #expect(chat["prompt_cache_key"] as? String == Self.hint.key && chat["id_slot"] == nil)
        let plain = try bodyObject(OpenAIChatFormat(endpoint: endpoint).httpRequest(for: request(cache: Self.hint)).body)
        #expect(plain["prompt_cache_key"] == nil, "other compatible servers get no unknown keys")
        let responses = try bodyObject(OpenAIResponsesFormat(endpoint: endpoint).httpRequest(for: request(cache: Self.hint)).body)
        #expect(responses["prompt_cache_key"] as? String == Self.hint.key)
        let factory = BackendFactory(environment: ["OPENAI_API_KEY": "sk-test-0000000000"])
        let official = try factory.chatFormat(BackendConfiguration(type: "chatcompletion", model: "gpt-4o"), type: .chatcompletion)
        #expect(official.promptCache == .openAI)
        let local = try factory.chatFormat(
            BackendConfiguration(type: "chatcompletion", model: "q", baseURL: "http://localhost:8089/v1"), type: .chatcompletion)
        #expect(local.promptCache == .llamaCpp)
    }

    @Test func anthropicMarksToolsSystemTaskAndNewestMessage() throws {
        let body = try bodyObject(AnthropicFormat(endpoint: endpoint).httpRequest(for: request(cache: Self.hint)).body)
        let ephemeral = ["type": "ephemeral"]
        let tools = try #require(body["tools"] as? [[String: Any]])
        #expect(tools[0]["cache_control"] == nil && tools[1]["cache_control"] as? [String: String] == ephemeral)
        let system = try #require(body["system"] as? [[String: Any]])
        #expect(system[0]["text"] as? String == "You are a coding agent." && system[0]["cache_control"] as? [String: String] == ephemeral)
        let messages = try #require(body["messages"] as? [[String: Any]])
        let marked = messages.map { message in
            ((message["content"] as? [[String: Any]]) ?? []).filter { $0["cache_control"] != nil }.count
        }
        #expect(marked == [1, 0, 1], "the task message and the newest message, four breakpoints in all")
        let uncached = try bodyObject(AnthropicFormat(endpoint: endpoint).httpRequest(for: request(cache: nil)).body)
        #expect(uncached["system"] as? String == "You are a coding agent.")
    }

    @Test func cachedAndWrittenTokensArePricedApart() throws {
        let sonnet = try #require(PriceTable.standard.price(for: "claude-sonnet-4-20250514"))
        let usage = TokenUsage(inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 600_000, cacheWriteInputTokens: 300_000)
        // 100k plain at $3, 600k read at $0.30, 300k written at $3.75.
        #expect(abs(sonnet.cost(of: usage) - (0.3 + 0.18 + 1.125)) < 1e-9)
        let configured = try #require(ModelPrice(json: ["input": 2, "output": 8, "cached_input": 0.5, "cache_write": 2.5]))
        #expect(configured.cacheWritePerMillion == 2.5)
        // Usage recorded before the cache fields existed still reads.
        let old = try JSONDecoder().decode(TokenUsage.self, from: Data(#"{"inputTokens":5,"outputTokens":2,"cachedInputTokens":1}"#.utf8))
        #expect(old == TokenUsage(inputTokens: 5, outputTokens: 2, cachedInputTokens: 1))
    }
}

extension PromptCacheTests {
    /// A recorded SSE body of the local server (see scripts/record-model-replies).
    static func fixture(_ name: String) throws -> String {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: folder.appendingPathComponent("Fixtures/LocalModels/" + name), encoding: .utf8)
    }

    /// A llama.cpp server on loopback: `/props` and a recorded 1.5B stream. The loop reads the
    /// context window and slots, asks for its slot (agent 5 of a 3-slot server → slot 1), caps
    /// `max_tokens`, and the usage carries llama.cpp's cache hits and prompt time.
    @Test func theLoopUsesTheServersSlotsAndWindowAndReadsItsTimings() async throws {
        let recorded = try Self.fixture("llamacpp-text-turn.sse")
        let server = try LoopbackHTTPServer { request in
            if request.target == "/props" {
                return .json(#"{"default_generation_settings":{"n_ctx":4096},"total_slots":3}"#)
            }
            return .bytes(contentType: "text/event-stream", Data(recorded.utf8))
        }
        defer { server.stop() }
        let backend = OpenAIChatBackend(
            format: OpenAIChatFormat(endpoint: ProviderEndpoint(baseURL: server.url("/v1")), promptCache: .llamaCpp),
            transport: LibcurlTransport(environment: [:]), displayName: "llamacpp")
        let ws = try TemporaryWorkspace()
        let recorder = InMemoryRecorder()
        let loop = AgentLoop(
            backend: backend, tools: ToolRegistry([ReadFileTool()]),
            configuration: AgentLoopConfiguration(
                model: "local", systemPrompt: "You fix code.", limits: AgentLimits(maxSteps: 1), toolMode: .text,
                cacheKey: "s/a5", cacheSlot: 4),
            context: ws.context, recorder: recorder)
        _ = await loop.run(messages: [.text(.user, "fix it")])
        let post = try #require(server.requests.first { $0.method == "POST" })
        let body = try #require(JSONSerialization.jsonObject(with: post.body) as? [String: Any])
        #expect(body["id_slot"] as? Int == 1 && body["cache_prompt"] as? Bool == true)
        #expect(body["max_tokens"] as? Int == 512, "an eighth of the 4,096-token window, at least 512")
        #expect(body["tools"] == nil)
        let usage = await recorder.entries.compactMap { entry -> TokenUsage? in
            if case .usage(let usage, _) = entry.event { usage } else { nil }
        }.first
        let reported = try #require(usage)
        #expect(reported.cachedInputTokens > 0 && reported.cachedInputTokens <= reported.inputTokens)
        #expect((reported.promptMilliseconds ?? 0) > 0)
    }

    /// llama.cpp's refusal of the model's own tool-call output arrives inside a 200 stream.
    @Test func theRecordedPegNativeRefusalIsAModelError() async throws {
        let recorded = try Self.fixture("llamacpp-peg-native-error.sse")
        let server = try LoopbackHTTPServer { _ in .bytes(contentType: "text/event-stream", Data(recorded.utf8)) }
        defer { server.stop() }
        let backend = OpenAIChatBackend(
            format: OpenAIChatFormat(endpoint: ProviderEndpoint(baseURL: server.url("/v1"))),
            transport: LibcurlTransport(environment: [:]), displayName: "llamacpp")
        do {
            for try await _ in backend.stream(request(cache: nil)) {}
            Issue.record("the stream should fail")
        } catch let error as BackendError {
            guard case .modelError(_, let message) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(message.contains("does not match the expected peg-native format"))
        }
    }
}
