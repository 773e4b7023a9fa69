import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Records the waits a `RetryPolicy` asks for instead of sleeping.
final class RecordingSleeper: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var delays: [Duration] { lock.withLock { recorded } }

    func policy(maxAttempts: Int = 4, random: Double = 0.5, now: Date = Date()) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: maxAttempts, baseDelay: .seconds(1), factor: 2, maxDelay: .seconds(5),
            sleep: { [self] delay in lock.withLock { recorded.append(delay) } },
            random: { random }, now: { now })
    }
}

@Suite struct RetryPolicyTests {
    let transport = LibcurlTransport(environment: [:])
    let limits = TransferLimits(totalDeadline: .seconds(20), idleTimeout: .seconds(10), connectTimeout: .seconds(5))

    /// One attempt as a backend would write it: error statuses become `HTTPStatusError`, every
    /// event passed on marks the attempt as having emitted output.
    private func streamEvents(_ url: String, attempt: AttemptContext) async throws -> [String] {
        let response = try await transport.send(HTTPRequest(url: url, body: [.bytes(Data("{}".utf8))]), limits: limits)
        guard response.status == 200 else { throw try await HTTPStatusError(response: response) }
        var events: [String] = []
        for try await event in response.body.sseEvents {
            attempt.markOutputEmitted()
            events.append(event.data)
        }
        return events
    }

    @Test func retries429HonouringRetryAfterThenSucceeds() async throws {
        let server = try LoopbackHTTPServer { request in
            switch request.sequenceNumber {
            case 0: .json(status: 429, #"{"error":{"message":"Rate limit reached"}}"#, headers: [("Retry-After", "7")])
            case 1: .json(status: 503, "overloaded", headers: [("retry-after-ms", "250")])
            default: .sse([SSEFrame(data: "hello"), SSEFrame(data: "[DONE]")])
            }
        }
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let events = try await sleeper.policy().run { try await streamEvents(server.url("/v1/chat"), attempt: $0) }
        #expect(events == ["hello", "[DONE]"])
        #expect(sleeper.delays == [.seconds(7), .milliseconds(250)])
        #expect(server.requests.count == 3)
    }

    @Test func gives500UpAfterTheLastAttemptWithTheProvidersMessage() async throws {
        let server = try LoopbackHTTPServer { _ in .json(status: 500, #"{"error":{"message":"The server had an error"}}"#) }
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: HTTPStatusError.self) {
            _ = try await sleeper.policy(maxAttempts: 3).run { try await streamEvents(server.url("/v1/chat"), attempt: $0) }
        }
        #expect(server.requests.count == 3)
        // Full jitter with random 0.5: half of 1 s, then half of 2 s.
        #expect(sleeper.delays == [.milliseconds(500), .seconds(1)])
        let mapped = try BackendError.fromHTTP(#require(error), provider: "OpenAI", keyVariable: "OPENAI_API_KEY")
        #expect(mapped == .serverError(provider: "OpenAI", status: 500, message: "The server had an error"))
    }

    @Test func retriesAResetBeforeAnyOutput() async throws {
        let server = try LoopbackHTTPServer { request in
            request.sequenceNumber == 0
                ? ScriptedHTTPResponse(status: 200, framing: .chunked, steps: [.reset])
                : .sse([SSEFrame(data: "ok")])
        }
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let events = try await sleeper.policy().run { try await streamEvents(server.url("/s"), attempt: $0) }
        #expect(events == ["ok"])
        #expect(server.requests.count == 2)
    }

    @Test func neverRetriesOnceOutputWasEmitted() async throws {
        let server = try LoopbackHTTPServer { _ in .sse([SSEFrame(data: "partial")], ending: .reset) }
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        await #expect(throws: TransportError.self) {
            _ = try await sleeper.policy().run { try await streamEvents(server.url("/s"), attempt: $0) }
        }
        #expect(server.requests.count == 1)
        #expect(sleeper.delays.isEmpty)
    }

    @Test func quota429IsNotRetried() async throws {
        let body = #"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota"}}"#
        let server = try LoopbackHTTPServer { _ in .json(status: 429, body) }
        defer { server.stop() }
        let sleeper = RecordingSleeper()
        let error = await #expect(throws: HTTPStatusError.self) {
            _ = try await sleeper.policy().run { try await streamEvents(server.url("/s"), attempt: $0) }
        }
        #expect(server.requests.count == 1)
        let mapped = try BackendError.fromHTTP(#require(error), provider: "OpenAI", keyVariable: "OPENAI_API_KEY")
        #expect(mapped == .quotaExceeded(provider: "OpenAI", message: "You exceeded your current quota"))
    }

    @Test func overlongRetryAfterEndsRetries() async throws {
        let sleeper = RecordingSleeper()
        var attempts = 0
        await #expect(throws: HTTPStatusError.self) {
            try await sleeper.policy().run { _ in
                attempts += 1
                throw HTTPStatusError(status: 429, headers: ["retry-after": "3600"], body: "slow down")
            }
        }
        #expect(attempts == 1)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = RecordingSleeper().policy(random: 0.999_999)
        let bounds = (1...5).map { policy.backoff(attempt: $0) }
        #expect(bounds[0] < .seconds(1) && bounds[0] > .milliseconds(999))
        #expect(bounds[1] > .milliseconds(1999) && bounds[2] > .milliseconds(3999))
        #expect(bounds[3] <= .seconds(5) && bounds[4] <= .seconds(5))
        #expect(RecordingSleeper().policy(random: 0).backoff(attempt: 3) == .zero)
    }

    @Test func parsesRetryAfterForms() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2015-10-21T07:28:00Z"))
        #expect(HTTPStatusError.parseRetryAfter("120", now: now) == .seconds(120))
        #expect(HTTPStatusError.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(HTTPStatusError.parseRetryAfter("Wednesday, 21-Oct-15 07:29:00 GMT", now: now) == .seconds(60))
        #expect(HTTPStatusError.parseRetryAfter("Wed Oct 21 07:28:10 2015", now: now) == .seconds(10))
        #expect(HTTPStatusError.parseRetryAfter("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
        #expect(HTTPStatusError.parseRetryAfter("soon", now: now) == nil)
        #expect(HTTPStatusError.parseRetryAfter("-5", now: now) == nil)
    }

    @Test func cancellationIsNeverRetried() async throws {
        let sleeper = RecordingSleeper()
        var attempts = 0
        await #expect(throws: TransportError.cancelled) {
            try await sleeper.policy().run { _ in
                attempts += 1
                throw TransportError.cancelled
            }
        }
        #expect(attempts == 1)
    }
}
