import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Stream decoding per provider, from scripted event sequences (no network).
@Suite struct StreamDecoderTests {
    static let calls = [
        PlannedCall(
            id: "call_1", name: "read_file", arguments: #"{"path":"Sources/App/main.swift","limit":200}"#),
        PlannedCall(id: "call_2", name: "list_files", arguments: #"{"path":"Tests"}"#),
    ]

    func decoder(_ dialect: ProviderDialect) -> any StreamDecoder {
        switch dialect {
        case .chat: OpenAIChatDecoder(provider: "OpenAI")
        case .responses: OpenAIResponsesDecoder(provider: "OpenAI")
        case .anthropic: AnthropicDecoder(provider: "Anthropic")
        case .gemini: GeminiDecoder(provider: "Gemini")
        }
    }

    func run(_ dialect: ProviderDialect, _ frames: [SSEFrame]) throws -> [StreamChunk] {
        try decodeAll(decoder(dialect), frames.map(\.clientEvent))
    }

    @Test(arguments: ProviderDialect.allCases)
    func plainText(_ dialect: ProviderDialect) throws {
        let chunks = try run(dialect, dialect.frames(text: ["Hel", "lo, ", "world"]))
        #expect(joinedText(chunks) == "Hello, world")
        #expect(
            chunks.suffix(2) == [
                .usage(TokenUsage(inputTokens: 120, outputTokens: 30, cachedInputTokens: 20)), .finish(.stop),
            ])
    }

    @Test(arguments: ProviderDialect.allCases)
    func parallelToolCallsWithSplitArguments(_ dialect: ProviderDialect) throws {
        let chunks = try run(
            dialect, dialect.frames(text: ["Let me look."], calls: Self.calls, fragmentSize: 3))
        let calls = assembledCalls(chunks)
        #expect(calls.keys.sorted() == [0, 1])
        for (index, planned) in Self.calls.enumerated() {
            let call = try #require(calls[index])
            #expect(call.name == planned.name)
            #expect(call.ended)
            #expect(JSONValue.parse(call.arguments) == JSONValue.parse(planned.arguments))
            if dialect != .gemini { #expect(call.id == planned.id) }
        }
        if dialect == .gemini {
            #expect(Set(calls.values.map(\.id)).count == 2, "synthesized ids must be distinct")
        } else {
            let deltas = chunks.filter { if case .toolCallArgumentsDelta = $0 { true } else { false } }
            #expect(deltas.count > 10, "arguments must stream as many deltas")
        }
        #expect(chunks.last == .finish(.toolCalls))
    }

    @Test(arguments: ProviderDialect.allCases)
    func streamWithoutTerminalSignalIsTruncated(_ dialect: ProviderDialect) throws {
        #expect(
            throws: BackendError.truncatedStream(
                provider: dialect == .gemini ? "Gemini" : dialect == .anthropic ? "Anthropic" : "OpenAI")
        ) {
            _ = try run(dialect, dialect.frames(text: ["partial"], calls: Self.calls, terminal: false))
        }
    }

    @Test func chatServerNumberingEveryCallZeroStillYieldsTwoCalls() throws {
        let frames = [
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"read_file","arguments":"{}"}}]}}]}"#,
            #"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"b","function":{"name":"list_files","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ].map { SSEEvent(data: $0) }
        let chunks = try decodeAll(OpenAIChatDecoder(provider: "Ollama"), frames)
        let calls = assembledCalls(chunks)
        #expect(calls[0]?.name == "read_file" && calls[0]?.ended == true)
        #expect(calls[1]?.name == "list_files" && calls[1]?.ended == true)
    }

    @Test func chatReasoningAndInStreamError() throws {
        var decoder = OpenAIChatDecoder(provider: "vLLM")
        let chunks = try decoder.decode(
            SSEEvent(data: #"{"choices":[{"index":0,"delta":{"reasoning_content":"think"}}]}"#))
        #expect(chunks == [.reasoningDelta("think")])
        #expect(throws: BackendError.modelError(provider: "vLLM", message: "boom")) {
            _ = try decoder.decode(SSEEvent(data: #"{"error":{"message":"boom"}}"#))
        }
    }

    @Test func anthropicThinkingAndOverloadedError() throws {
        var decoder = AnthropicDecoder(provider: "Anthropic")
        let delta =
            #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#
        #expect(
            try decoder.decode(SSEEvent(event: "content_block_delta", data: delta)) == [
                .reasoningDelta("hmm")
            ])
        let error = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        #expect(throws: BackendError.serverError(provider: "Anthropic", status: 529, message: "Overloaded")) {
            _ = try decoder.decode(SSEEvent(event: "error", data: error))
        }
    }

    @Test func geminiThoughtPartsAreReasoning() throws {
        let event = SSEEvent(
            data:
                #"{"candidates":[{"content":{"parts":[{"text":"plan","thought":true},{"text":"answer"}]},"finishReason":"STOP"}]}"#
        )
        let chunks = try decodeAll(GeminiDecoder(provider: "Gemini"), [event])
        #expect(chunks == [.reasoningDelta("plan"), .textDelta("answer"), .finish(.stop)])
    }

    @Test func responsesFailureAndIncomplete() throws {
        var failing = OpenAIResponsesDecoder(provider: "OpenAI")
        #expect(throws: BackendError.self) {
            _ = try failing.decode(
                SSEEvent(data: #"{"type":"response.failed","response":{"error":{"message":"bad"}}}"#))
        }
        let incomplete = SSEEvent(
            data:
                #"{"type":"response.incomplete","response":{"incomplete_details":{"reason":"max_output_tokens"}}}"#
        )
        #expect(try decodeAll(OpenAIResponsesDecoder(provider: "OpenAI"), [incomplete]) == [.finish(.length)])
    }

    @Test func nonJSONEventIsAModelError() {
        var decoder = AnthropicDecoder(provider: "Anthropic")
        #expect(throws: BackendError.self) { _ = try decoder.decode(SSEEvent(data: "{not json")) }
    }
}
