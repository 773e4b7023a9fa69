import Foundation
import MGTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The test server itself, exercised with the `curl` command-line client so these tests do not
/// depend on the transport under test.
@Suite struct LoopbackHTTPServerTests {
    /// Runs `curl` with `arguments`; returns stdout and the exit status.
    private func curl(_ arguments: [String]) throws -> (Data, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl", "-sS", "--max-time", "10"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (data, process.terminationStatus)
    }

    @Test func recordsRequestsAndServesScriptedBodies() throws {
        let server = try LoopbackHTTPServer { request in
            .json(#"{"echo":\#(request.bodyByteCount)}"#, headers: [("X-Seq", "\(request.sequenceNumber)")])
        }
        defer { server.stop() }
        let (body, status) = try curl([
            "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", #"{"a":1}"#,
            server.url("/v1/chat?x=1"),
        ])
        #expect(status == 0)
        #expect(String(decoding: body, as: UTF8.self) == #"{"echo":7}"#)
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/chat")
        #expect(request.query == "x=1")
        #expect(request.header("content-type") == "application/json")
        #expect(request.bodyText == #"{"a":1}"#)
        #expect(!request.isAbsoluteForm)
    }

    @Test func decodesChunkedRequestBodies() throws {
        let server = try LoopbackHTTPServer { _ in .text("ok") }
        defer { server.stop() }
        let payload = String(repeating: "0123456789", count: 5000)
        let (_, status) = try curl([
            "-H", "Transfer-Encoding: chunked", "--data-binary", payload, server.url("/upload"),
        ])
        #expect(status == 0)
        let request = try #require(server.requests.first)
        #expect(request.bodyWasChunked)
        #expect(request.bodyText == payload)
    }

    @Test func countOnlyModeKeepsNoBody() throws {
        let server = try LoopbackHTTPServer(options: .init(storeBodies: false)) { _ in .text("ok") }
        defer { server.stop() }
        let (_, status) = try curl(["--data-binary", String(repeating: "x", count: 100_000), server.url("/")])
        #expect(status == 0)
        let request = try #require(server.requests.first)
        #expect(request.bodyByteCount == 100_000)
        #expect(request.body.isEmpty)
    }

    @Test func chunkedSSEBodyArrivesWhole() throws {
        let frames = (0..<20).map { SSEFrame(data: "{\"n\":\($0)}") } + [SSEFrame(data: "[DONE]")]
        let server = try LoopbackHTTPServer { _ in .sse(frames, pieceSize: 7, pauseMilliseconds: 0) }
        defer { server.stop() }
        let (body, status) = try curl(["-N", server.url("/stream")])
        #expect(status == 0)
        #expect(body == frames.reduce(into: Data()) { $0.append($1.encoded) })
    }

    @Test func truncatedChunkedBodyIsAnErrorForCurl() throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "a")], ending: .close) }
        defer { server.stop() }
        let (_, status) = try curl([server.url("/")])
        #expect(status == 18)  // CURLE_PARTIAL_FILE
    }

    @Test func resetIsSeenAsConnectionReset() throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "a")], ending: .reset) }
        defer { server.stop() }
        let (_, status) = try curl([server.url("/")])
        #expect(status == 56)  // CURLE_RECV_ERROR: connection reset by peer
    }

    @Test func stallEndsWhenTheClientGivesUp() async throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "a")], ending: .stall) }
        defer { server.stop() }
        let (_, status) = try curl(["--max-time", "0.5", server.url("/")])
        #expect(status == 28)  // CURLE_OPERATION_TIMEDOUT
        #expect(await server.waitUntil { $0.connectionsClosedByClient == 1 })
    }

    @Test func stopEndsStalledConnections() async throws {
        let server = try LoopbackHTTPServer { _ in ScriptedHTTPResponse(status: 200, framing: .chunked, steps: [.stall]) }
        let client = Task.detached { try curl(["--max-time", "20", server.url("/")]) }
        #expect(await server.waitUntil { $0.requestsReceived == 1 })
        server.stop()
        let (_, status) = try await client.value
        #expect(status != 0)
        #expect(server.statistics.openConnections == 0)
    }
}
