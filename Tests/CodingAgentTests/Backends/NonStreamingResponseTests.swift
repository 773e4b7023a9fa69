import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Responses that are no event stream, over real HTTP on 127.0.0.1: `stream: false` (a whole
/// `chat.completion` object), a server that ignores `stream: true`, an event stream labelled
/// `text/plain`, and a page that is no model API at all.
@Suite struct NonStreamingResponseTests {
    static let completion = #"""
        {"id":"c1","object":"chat.completion","model":"tiny","choices":[{"index":0,"message":{"role":"assistant",
        "content":"Reading it.","tool_calls":[{"id":"call_a","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a.txt\"}"}},
        {"id":"call_b","type":"function","function":{"name":"list_files","arguments":"{}"}}]},"finish_reason":"tool_calls"}],
        "usage":{"prompt_tokens":120,"completion_tokens":30,"total_tokens":150,"prompt_tokens_details":{"cached_tokens":100}}}
        """#

    func backend(_ server: LoopbackHTTPServer, stream: Bool? = nil) throws -> any ModelBackend {
        var configuration = BackendConfiguration(type: "chatcompletion", model: "tiny", baseURL: server.baseURL + "/v1")
        configuration.stream = stream
        return try BackendFactory(
            transport: LibcurlTransport(environment: [:]), environment: [:], retry: RetryPolicy(maxAttempts: 1)
        ).makeBackend(configuration)
    }

    func ask(_ backend: any ModelBackend) async -> (chunks: [StreamChunk], error: (any Error)?) {
        await collect(
            backend.stream(ModelRequest(model: "tiny", messages: [.text(.user, "go")], tools: BackendFixtures.tools)))
    }

    @Test func streamFalseAsksForAndReadsAWholeResponse() async throws {
        let server = try LoopbackHTTPServer { _ in .json(Self.completion) }
        defer { server.stop() }
        let result = await ask(try backend(server, stream: false))
        #expect(result.error == nil, "\(String(describing: result.error))")
        #expect(joinedText(result.chunks) == "Reading it.")
        let calls = assembledCalls(result.chunks)
        #expect(calls[0]?.name == "read_file" && JSONValue.parse(calls[0]?.arguments ?? "") == JSONValue.parse(#"{"path":"a.txt"}"#))
        #expect(calls[1]?.name == "list_files" && calls[1]?.ended == true)
        #expect(result.chunks.contains(.usage(TokenUsage(inputTokens: 120, outputTokens: 30, cachedInputTokens: 100))))
        #expect(result.chunks.last == .finish(.toolCalls))
        let post = try #require(server.requests.last { $0.method == "POST" })
        let body = try #require(JSONValue.parse(post.bodyText))
        #expect(body["stream"] == .bool(false) && body["stream_options"] == nil)
    }

    @Test func aServerThatIgnoresStreamTrueIsReadAnyway() async throws {
        let server = try LoopbackHTTPServer { _ in .json(Self.completion) }
        defer { server.stop() }
        let result = await ask(try backend(server))
        #expect(result.error == nil)
        #expect(joinedText(result.chunks) == "Reading it." && assembledCalls(result.chunks).count == 2)
        let post = try #require(server.requests.last { $0.method == "POST" })
        let body = try #require(JSONValue.parse(post.bodyText))
        #expect(body["stream"] == .bool(true))
    }

    @Test func anEventStreamLabelledPlainTextIsStillAStream() async throws {
        let frames = ProviderDialect.chat.frames(text: ["plain ", "label"])
        let server = try LoopbackHTTPServer { _ in
            var response = ScriptedHTTPResponse.sse(frames)
            response.headers = [RecordedHeader(name: "Content-Type", value: "text/plain; charset=utf-8")]
            return response
        }
        defer { server.stop() }
        let result = await ask(try backend(server))
        #expect(result.error == nil)
        #expect(joinedText(result.chunks) == "plain label")
    }

    @Test func aWebPageIsSaidToBeOneNotAClosedStream() async throws {
        let server = try LoopbackHTTPServer { _ in
            .bytes(contentType: "text/html; charset=utf-8", Data("<!doctype html><html><body>Welcome to nginx!</body></html>".utf8))
        }
        defer { server.stop() }
        let result = await ask(try backend(server))
        let error = try #require(result.error as? BackendError)
        let text = error.description
        #expect(text.contains("answered (HTTP 200), but not as a model API"), "\(text)")
        #expect(text.contains("text/html, not an event stream") && text.contains("Welcome to nginx!"), "\(text)")
        #expect(text.contains("base_url") && text.contains("stream: false"))
        #expect(!text.contains("closed the stream"))
        // Plain JSON that is no completion says so too (and a JSON error object is the model's error).
        let proxy = try LoopbackHTTPServer { request in
            request.sequenceNumber == 0 ? .json(#"{"status":"ok"}"#) : .json(#"{"error":{"message":"model tiny is loading"}}"#)
        }
        defer { proxy.stop() }
        let plain = await ask(try backend(proxy))
        #expect((plain.error as? BackendError)?.description.contains("application/json, not an event stream") == true)
        let failed = await ask(try backend(proxy))
        #expect((failed.error as? BackendError) == .modelError(provider: "OpenAI-compatible server at 127.0.0.1", message: "model tiny is loading"))
    }
}
