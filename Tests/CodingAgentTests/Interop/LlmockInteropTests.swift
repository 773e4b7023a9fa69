import Foundation
import Testing

@testable import CodingAgent

/// Every backend against llmock 0.2.2, an independent implementation of the providers' wire
/// formats, in text and tool-call modes and under every fault llmock can inject.
///
/// Checks of one provider run in sequence; each uses its own model name and matches its llmock
/// behaviours on it, so the providers' tests can run in parallel against one server.
@Suite(.llmock(["--context-window", "4000"]))
struct LlmockInteropTests {
    enum Provider: String, CaseIterable, Sendable {
        case chat, responses, anthropic, gemini

        var model: String {
            switch self {
            case .chat: "gpt-4o-mini"
            case .responses: "gpt-4.1-mini"
            case .anthropic: "claude-sonnet-4"
            case .gemini: "gemini-2.5-flash"
            }
        }

        var keyVariable: String {
            switch self {
            case .chat, .responses: "OPENAI_API_KEY"
            case .anthropic: "ANTHROPIC_API_KEY"
            case .gemini: "GEMINI_API_KEY"
            }
        }

        /// The path llmock's verdict reports for this provider's calls.
        var pathFragment: String {
            switch self {
            case .chat: "/v1/chat/completions"
            case .responses: "/v1/responses"
            case .anthropic: "/anthropic/v1/messages"
            case .gemini: "/gemini/v1beta/models/"
            }
        }

        func backend(_ base: String, attempts: Int) -> any ModelBackend {
            let transport = LibcurlTransport(environment: [:])
            let limits = TransferLimits(
                totalDeadline: .seconds(30), idleTimeout: .milliseconds(800), connectTimeout: .seconds(5))
            // Real sleeps: llmock's verdict checks that retries waited for Retry-After.
            let retry = RetryPolicy(
                maxAttempts: attempts, baseDelay: .milliseconds(50), maxDelay: .seconds(2))
            let key = "llmock-key-\(rawValue)-0000"
            switch self {
            case .chat:
                return OpenAIChatBackend(
                    format: OpenAIChatFormat(endpoint: ProviderEndpoint(baseURL: base + "/v1", apiKey: key)),
                    transport: transport, limits: limits, retry: retry, displayName: "chat")
            case .responses:
                return OpenAIResponsesBackend(
                    format: OpenAIResponsesFormat(
                        endpoint: ProviderEndpoint(baseURL: base + "/v1", apiKey: key)),
                    transport: transport, limits: limits, retry: retry, displayName: "responses")
            case .anthropic:
                return AnthropicBackend(
                    format: AnthropicFormat(
                        endpoint: ProviderEndpoint(baseURL: base + "/anthropic/v1", apiKey: key)),
                    transport: transport, limits: limits, retry: retry, displayName: "anthropic")
            case .gemini:
                return GeminiBackend(
                    format: GeminiFormat(
                        endpoint: ProviderEndpoint(baseURL: base + "/gemini/v1beta", apiKey: key)),
                    transport: transport, limits: limits, retry: retry, displayName: "gemini")
            }
        }
    }

    static let tools = [
        ToolDefinition(
            name: "read_file", description: "Read a file of the repository",
            parameters: .object([
                "type": .string("object"),
                "properties": .object(["path": .object(["type": .string("string")])]),
                "required": .array([.string("path")]),
            ]))
    ]

    /// One model call; returns the chunks and the error the stream ended with.
    func call(
        _ provider: Provider, model: String, attempts: Int = 3, tools: [ToolDefinition] = [],
        messages: [Message]? = nil
    ) async throws -> (chunks: [StreamChunk], error: BackendError?) {
        let server = try #require(LlmockServer.current)
        let backend = provider.backend(server.baseURL, attempts: attempts)
        let request = ModelRequest(
            model: model,
            messages: messages ?? [
                .text(.system, "You help with code."), .text(.user, "Please read the README file."),
            ],
            tools: tools)
        var chunks: [StreamChunk] = []
        do {
            for try await chunk in backend.stream(request) { chunks.append(chunk) }
            return (chunks, nil)
        } catch let error as BackendError {
            return (chunks, error)
        }
    }

    func behavior(_ json: String, model: String) -> String {
        String(json.dropLast()) + #","match":{"model":"\#(model)"}}"#
    }

    @Test(arguments: Provider.allCases)
    func textAndToolModes(_ provider: Provider) async throws {
        // Text mode: no tools offered, a plain streamed answer.
        let text = try await call(provider, model: provider.model + "-text")
        #expect(text.error == nil)
        #expect(!joinedText(text.chunks).isEmpty)
        #expect(text.chunks.last == .finish(.stop))

        // Tool mode: llmock calls the offered tool with schema-valid arguments, then answers in text.
        let model = provider.model + "-tools"
        let first = try await call(provider, model: model, tools: Self.tools)
        #expect(first.error == nil)
        let calls = assembledCalls(first.chunks)
        let toolCall = try #require(calls[0])
        #expect(toolCall.name == "read_file" && toolCall.ended)
        #expect(JSONValue.parse(toolCall.arguments)?["path"]?.stringValue != nil)
        #expect(first.chunks.last == .finish(.toolCalls))
        let conversation: [Message] = [
            .text(.user, "Please read the README file."),
            Message(
                role: .assistant,
                parts: [
                    .toolCall(ToolCall(id: toolCall.id, name: toolCall.name, arguments: toolCall.arguments))
                ]),
            Message(
                role: .tool,
                parts: [
                    .toolResult(
                        ToolResult(
                            callID: toolCall.id, name: toolCall.name, content: "# mg\nA coding assistant."))
                ]),
        ]
        let second = try await call(provider, model: model, tools: Self.tools, messages: conversation)
        #expect(second.error == nil)
        #expect(!joinedText(second.chunks).isEmpty)
        #expect(assembledCalls(second.chunks).isEmpty)

        // Scripted parallel calls.
        let parallel = provider.model + "-parallel"
        try await LlmockServer.current?.queue([
            behavior(
                #"{"type":"reply","text":"Two reads.","tool_calls":[{"name":"read_file","arguments":{"path":"a.txt"}},{"name":"read_file","arguments":{"path":"b.txt"}}]}"#,
                model: parallel)
        ])
        let both = try await call(provider, model: parallel, tools: Self.tools)
        #expect(both.error == nil)
        let pair = assembledCalls(both.chunks)
        #expect(pair.keys.sorted() == [0, 1])
        #expect(pair[0].flatMap { JSONValue.parse($0.arguments)?["path"]?.stringValue } == "a.txt")
        #expect(pair[1].flatMap { JSONValue.parse($0.arguments)?["path"]?.stringValue } == "b.txt")
        #expect(pair[0]?.id != pair[1]?.id)
    }

    @Test(arguments: Provider.allCases)
    func httpFaults(_ provider: Provider) async throws {
        let server = try #require(LlmockServer.current)

        let limited = provider.model + "-429"
        try await server.queue([
            behavior(#"{"type":"fail","status":429,"retry_after":0.3,"times":2}"#, model: limited)
        ])
        let recovered = try await call(provider, model: limited)
        #expect(recovered.error == nil, "two 429s then success within 3 attempts")
        #expect(!joinedText(recovered.chunks).isEmpty)

        let down = provider.model + "-503"
        try await server.queue([behavior(#"{"type":"fail","status":503,"times":3}"#, model: down)])
        let failed = try await call(provider, model: down)
        guard case .serverError(_, 503, _) = failed.error else {
            Issue.record("503 ×3: expected serverError, got \(String(describing: failed.error))")
            return
        }

        let denied = provider.model + "-401"
        try await server.queue([behavior(#"{"type":"fail","status":401}"#, model: denied)])
        let refused = try await call(provider, model: denied)
        guard case .unauthorized(_, 401, _, let variable) = refused.error else {
            Issue.record("401: expected unauthorized, got \(String(describing: refused.error))")
            return
        }
        #expect(variable == provider.keyVariable)

        let slow = provider.model + "-slow"
        try await server.queue([
            behavior(#"{"type":"delay","seconds":0.3}"#, model: slow),
            behavior(#"{"type":"slow_first_token","seconds":0.3}"#, model: slow),
        ])
        let patient = try await call(provider, model: slow)
        #expect(patient.error == nil, "waits shorter than the idle timeout are tolerated")

        // llmock's --context-window 4000 rejects a prompt far above it with the provider's 400.
        let huge = String(repeating: "word ", count: 6000)
        let overflow = try await call(
            provider, model: provider.model + "-overflow", messages: [.text(.user, huge)])
        guard case .badRequest(_, 400, let message) = overflow.error else {
            Issue.record("context overflow: expected badRequest, got \(String(describing: overflow.error))")
            return
        }
        #expect(message.lowercased().contains("token") || message.lowercased().contains("context"))
    }

    @Test(arguments: Provider.allCases)
    func streamAndToolFaults(_ provider: Provider) async throws {
        let server = try #require(LlmockServer.current)
        // One attempt: each fault must surface as its own typed error, not be retried away.
        let faults: [(kind: String, extra: String, check: @Sendable (BackendError?) -> Bool)] = [
            ("disconnect", "", { if case .network = $0 { true } else { false } }),
            ("truncate", "", { if case .truncatedStream = $0 { true } else { false } }),
            ("malformed", "", { if case .modelError = $0 { true } else { false } }),
            ("stall", #","stall_seconds":5"#, { if case .timeout = $0 { true } else { false } }),
        ]
        for fault in faults {
            let model = provider.model + "-" + fault.kind
            try await server.queue([
                behavior(
                    #"{"type":"stream_fault","kind":"\#(fault.kind)","after_chunks":2\#(fault.extra)}"#,
                    model: model)
            ])
            let start = ContinuousClock.now
            let result = try await call(provider, model: model, attempts: 1)
            #expect(fault.check(result.error), "\(fault.kind): got \(String(describing: result.error))")
            #expect(
                !result.chunks.contains { if case .finish = $0 { true } else { false } },
                "\(fault.kind) must not finish")
            #expect(ContinuousClock.now - start < .seconds(5), "\(fault.kind) must end promptly")
        }

        // With retries, a fault before any output is recovered from transparently.
        let retried = provider.model + "-disconnect-retried"
        try await server.queue([
            behavior(#"{"type":"stream_fault","kind":"disconnect","after_chunks":0}"#, model: retried)
        ])
        let recovered = try await call(provider, model: retried)
        #expect(recovered.error == nil)
        #expect(recovered.chunks.last == .finish(.stop))

        // Broken tool calls are passed through for the agent loop to answer.
        let unknown = provider.model + "-unknown-tool"
        try await server.queue([behavior(#"{"type":"tool_fault","kind":"unknown_tool"}"#, model: unknown)])
        let invented = try await call(provider, model: unknown, tools: Self.tools)
        #expect(invented.error == nil)
        let inventedCall = try #require(assembledCalls(invented.chunks)[0])
        #expect(!Self.tools.map(\.name).contains(inventedCall.name))

        let malformed = provider.model + "-bad-arguments"
        try await server.queue([
            behavior(#"{"type":"tool_fault","kind":"malformed_arguments"}"#, model: malformed)
        ])
        let broken = try await call(provider, model: malformed, tools: Self.tools)
        #expect(broken.error == nil)
        let brokenCall = try #require(assembledCalls(broken.chunks)[0])
        if provider == .gemini {
            // Gemini's `args` is a JSON object on the wire, so llmock sends the cut-off arguments
            // as `{}`: valid JSON that lacks the required `path`.
            #expect(JSONValue.parse(brokenCall.arguments) == .object([:]))
        } else {
            #expect(
                JSONValue.parse(brokenCall.arguments) == nil,
                "the malformed arguments reach the loop as they are")
        }
    }

    @Test func verdictFindsNoRetryMistakes() async throws {
        let server = try #require(LlmockServer.current)
        for provider in Provider.allCases {
            _ = try await call(provider, model: provider.model + "-verdict")
        }
        let verdict = try #require(JSONValue.parse(try await server.get("/_llmock/verdict")))
        let codes = (verdict["findings"]?.wireArray ?? []).compactMap { $0["code"]?.stringValue }
        for forbidden in ["retry_after_ignored", "retried_non_retryable", "retry_storm"] {
            #expect(!codes.contains(forbidden), "llmock verdict: \(forbidden)")
        }
    }
}
