import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

@Suite struct LibcurlTransportTests {
    let transport = LibcurlTransport(environment: [:])
    let quick = TransferLimits(totalDeadline: .seconds(20), idleTimeout: .seconds(10), connectTimeout: .seconds(5))

    @Test func returnsStatusLowercasedHeadersAndBody() async throws {
        let server = try LoopbackHTTPServer { _ in
            .json(status: 201, #"{"ok":true}"#, headers: [("X-Request-ID", "abc")])
        }
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(method: "GET", url: server.url("/v1/models?page=2"), headers: [HTTPHeader("Accept", "application/json")]),
            limits: quick)
        #expect(response.status == 201)
        #expect(response.headers["x-request-id"] == "abc")
        #expect(response.headers["content-type"] == "application/json")
        #expect(try await TransportTestSupport.collect(response) == Data(#"{"ok":true}"#.utf8))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.pathAndQuery == "/v1/models?page=2")
        #expect(request.header("accept") == "application/json")
    }

    @Test func streamsSSEArrivingInTinyPieces() async throws {
        let frames = (0..<30).map { SSEFrame(data: #"{"choices":[{"delta":{"content":"token \#($0) ✓"}}]}"#) }
            + [SSEFrame(data: "[DONE]")]
        let server = try LoopbackHTTPServer { _ in .sse(frames, pieceSize: 5, pauseMilliseconds: 1) }
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(url: server.url("/v1/chat/completions"), body: [.bytes(Data("{}".utf8))]), limits: quick)
        #expect(response.status == 200)
        var received: [String] = []
        for try await event in response.body.sseEvents { received.append(event.data) }
        #expect(received == frames.map(\.data))
    }

    @Test func streamsBodyPartsByteForByte() async throws {
        let directory = try TransportTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Sizes that are not multiples of 3 or of the chunk size exercise the base64 carry-over.
        let raw = TransportTestSupport.pseudoRandomBytes(count: 3 * 1024 * 1024 + 1)
        let media = TransportTestSupport.pseudoRandomBytes(count: 2 * 1024 * 1024 + 2, seed: 42)
        let rawURL = directory.appendingPathComponent("raw.bin")
        let mediaURL = directory.appendingPathComponent("clip.mp4")
        try raw.write(to: rawURL)
        try media.write(to: mediaURL)
        let prefix = Data(#"{"data":""#.utf8)
        let suffix = Data(#""}"#.utf8)
        let server = try LoopbackHTTPServer { _ in .text("received") }
        defer { server.stop() }
        let response = try await transport.send(
            HTTPRequest(
                url: server.url("/upload"), headers: [HTTPHeader("Content-Type", "application/json")],
                body: [.bytes(prefix), .base64File(path: mediaURL.path), .bytes(suffix), .file(path: rawURL.path)]),
            limits: quick)
        #expect(try await TransportTestSupport.collect(response) == Data("received".utf8))
        let request = try #require(server.requests.first)
        let expected = prefix + media.base64EncodedData() + suffix + raw
        #expect(!request.bodyWasChunked)
        #expect(request.header("content-length") == "\(expected.count)")
        #expect(request.body.count == expected.count)
        #expect(request.body == expected)
    }

    @Test func connectionResetMidStreamIsAnError() async throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "partial")], ending: .reset) }
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(url: server.url("/s")), limits: quick)
        let error = await #expect(throws: TransportError.self) {
            _ = try await TransportTestSupport.collect(response)
        }
        guard case .connectionReset = error else {
            Issue.record("expected connectionReset, got \(String(describing: error))")
            return
        }
    }

    @Test func truncatedChunkedStreamIsAnError() async throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "partial")], ending: .close) }
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(url: server.url("/s")), limits: quick)
        let error = await #expect(throws: TransportError.self) {
            _ = try await TransportTestSupport.collect(response)
        }
        guard case .truncatedResponse = error else {
            Issue.record("expected truncatedResponse, got \(String(describing: error))")
            return
        }
    }

    @Test func truncatedContentLengthBodyIsAnError() async throws {
        let server = try LoopbackHTTPServer { _ in
            ScriptedHTTPResponse(status: 200, framing: .declaredContentLength(100), steps: [.send(Data("short".utf8)), .close])
        }
        defer { server.stop() }
        let response = try await transport.send(HTTPRequest(method: "GET", url: server.url("/s")), limits: quick)
        await #expect(throws: TransportError.self) {
            _ = try await TransportTestSupport.collect(response)
        }
    }

    @Test func idleStallTimesOutLongBeforeTheDeadline() async throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "first")], ending: .stall) }
        defer { server.stop() }
        let limits = TransferLimits(totalDeadline: .seconds(60), idleTimeout: .milliseconds(300), connectTimeout: .seconds(5))
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await transport.send(HTTPRequest(url: server.url("/s")), limits: limits)
        var received: [String] = []
        let error = await #expect(throws: TransportError.self) {
            for try await event in response.body.sseEvents { received.append(event.data) }
        }
        #expect(received == ["first"])
        // The error kind proves the idle check fired; the bound only proves it was not the
        // 60 s deadline (generous: the suite runs many transfers in parallel on 2 cores).
        #expect(clock.now - started < .seconds(30))
        guard case .timedOut(.idle, _, _) = error else {
            Issue.record("expected an idle timeout, got \(String(describing: error))")
            return
        }
    }

    @Test func cancellingTheConsumerAbortsPromptly() async throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "first")], ending: .stall) }
        defer { server.stop() }
        let transport = self.transport
        let url = server.url("/s")
        let consumer = Task {
            let response = try await transport.send(HTTPRequest(url: url), limits: TransferLimits())
            var count = 0
            for try await _ in response.body { count += 1 }
            return count
        }
        #expect(await server.waitUntil { $0.requestsReceived == 1 })
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        consumer.cancel()
        _ = try? await consumer.value
        #expect(clock.now - cancelledAt < .seconds(1))
        // The server sees the client close its connection.
        #expect(await server.waitUntil { $0.connectionsClosedByClient == 1 })
    }

    @Test func cancellingTheAwaitingTaskAbortsBeforeHeaders() async throws {
        // The handler holds the headers back until the test has seen the cancellation through.
        let release = DispatchSemaphore(value: 0)
        let server = try LoopbackHTTPServer { _ in
            _ = release.wait(timeout: .now() + 10)
            return .text("late")
        }
        defer {
            release.signal()
            server.stop()
        }
        let transport = self.transport
        let url = server.url("/slow")
        let sender = Task { try await transport.send(HTTPRequest(url: url), limits: TransferLimits()) }
        #expect(await server.waitUntil { $0.requestsReceived == 1 })
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        sender.cancel()
        let result = await sender.result
        #expect(clock.now - cancelledAt < .seconds(1))
        #expect(throws: TransportError.cancelled) { try result.get() }
    }

    @Test func refusedConnectionIsConnectionFailed() async throws {
        let server = try LoopbackHTTPServer { _ in .text("never") }
        let url = server.url("/gone")
        server.stop()
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(HTTPRequest(url: url), limits: quick)
        }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(error?.isRetryable == true)
    }

    @Test func missingBodyFileFailsBeforeConnecting() async throws {
        let server = try LoopbackHTTPServer { _ in .text("never") }
        defer { server.stop() }
        let error = await #expect(throws: TransportError.self) {
            _ = try await transport.send(
                HTTPRequest(url: server.url("/u"), body: [.base64File(path: "/nonexistent/clip.mp4")]), limits: quick)
        }
        guard case .bodyUnreadable(let path, _) = error else {
            Issue.record("expected bodyUnreadable, got \(String(describing: error))")
            return
        }
        #expect(path == "/nonexistent/clip.mp4")
        #expect(server.statistics.connectionsAccepted == 0)
    }

    @Test func upperCaseProxyVariableIsHonoured() async throws {
        let proxy = try LoopbackHTTPServer { _ in .json(#"{"via":"proxy"}"#) }
        defer { proxy.stop() }
        let proxied = LibcurlTransport(environment: ["HTTP_PROXY": proxy.baseURL])
        let response = try await proxied.send(
            HTTPRequest(url: "http://api.provider.invalid/v1/chat/completions", body: [.bytes(Data("{}".utf8))]),
            limits: quick)
        #expect(try await TransportTestSupport.collect(response) == Data(#"{"via":"proxy"}"#.utf8))
        let request = try #require(proxy.requests.first)
        #expect(request.isAbsoluteForm)
        #expect(request.target == "http://api.provider.invalid/v1/chat/completions")
        #expect(request.header("host") == "api.provider.invalid")
    }

    @Test func noProxyBypassesTheProxy() async throws {
        let server = try LoopbackHTTPServer { _ in .text("direct") }
        defer { server.stop() }
        let transport = LibcurlTransport(environment: ["ALL_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1"])
        let response = try await transport.send(HTTPRequest(method: "GET", url: server.url("/x")), limits: quick)
        #expect(try await TransportTestSupport.collect(response) == Data("direct".utf8))
        #expect(server.requests.first?.isAbsoluteForm == false)
    }

    @Test func secretHeadersNeverAppearInDescriptions() async throws {
        let secret = "sk-test-\(UUID().uuidString)"
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "x")], ending: .reset) }
        defer { server.stop() }
        let request = HTTPRequest(
            url: server.url("/v1beta/models/m:streamGenerateContent?alt=sse&key=\(secret)"),
            headers: [HTTPHeader("Authorization", "Bearer \(secret)", isSecret: true), HTTPHeader("Accept", "text/event-stream")],
            body: [.bytes(Data("{}".utf8))])
        var outputs = [String(describing: request), String(reflecting: request), String(describing: request.headers)]
        var dumped = ""
        dump(request, to: &dumped)
        outputs.append(dumped)
        let response = try await transport.send(request, limits: quick)
        do {
            _ = try await TransportTestSupport.collect(response)
            Issue.record("the reset stream should have failed")
        } catch {
            outputs += [String(describing: error), String(reflecting: error)]
        }
        for output in outputs {
            #expect(!output.contains(secret), "secret leaked in: \(output)")
        }
        #expect(outputs[0].contains("Authorization: <redacted>"))
        // The header itself was sent: redaction is for output only.
        #expect(server.requests.first?.header("authorization") == "Bearer \(secret)")
    }
}
