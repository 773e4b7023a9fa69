import Foundation
import MGTestSupport
import Testing

/// What a session costs, through the built `mg` against a scripted Chat Completions server on
/// 127.0.0.1: a known model is billed whatever the host (so `--max-cost` stops a run through a
/// local proxy), `pricing:` wins over the table, and the spend is shown at the end and in
/// `mg sessions`.
@Suite struct CostEndToEndTests {
    /// Every request gets one `read_file` call and a large usage report (100,000 prompt tokens,
    /// 1,000 completion: $0.26 at gpt-4o's list price).
    static func expensiveServer() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            let number = request.sequenceNumber
            let call =
                #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_\#(number)","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"calc.sh\"}"}}]},"finish_reason":null}]}"#
            let stop = #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#
            let usage = #"{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":100000,"completion_tokens":1000,"total_tokens":101000}}"#
            return .sse([SSEFrame(data: call), SSEFrame(data: stop), SSEFrame(data: usage), SSEFrame(data: "[DONE]")])
        }
    }

    func fixture(server: LoopbackHTTPServer, pricing: String = "") throws -> FixFixture {
        let fixture = try FixFixture(agents: [])
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            agents:
              - id: proxy
                backend: {type: chatcompletion, model: gpt-4o, base_url: "\(server.baseURL)/v1", tool_mode: native\(pricing)}

            """)
        return fixture
    }

    @Test func aKnownModelThroughALocalProxyIsBilledAndMaxCostStopsIt() throws {
        let server = try Self.expensiveServer()
        defer { server.stop() }
        let fixture = try fixture(server: server)
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--max-cost", "0.1"])
        #expect(server.requests.filter { $0.method == "POST" }.count == 1, "no model turn after the ceiling: \(server.requests.filter { $0.method == "POST" }.count) requests")
        #expect(run.stdout.contains("cost ceiling was reached"), "\(run.stdout)")
        #expect(run.stdout.contains("Tokens: 100,000 prompt, 1,000 completion"), "\(run.stdout)")
        #expect(run.stdout.contains("Cost: $0.2600"), "\(run.stdout)")
        let sessions = try fixture.mg(["--json", "sessions"])
        let row = try #require(try JSONSerialization.jsonObject(with: Data(sessions.stdout.utf8)) as? [String: Any])
        #expect(abs((row["cost_usd"] as? Double ?? 0) - 0.26) < 0.0001, "\(sessions.stdout)")
        #expect(try fixture.mg(["sessions"]).stdout.contains("$0.2600"))
    }

    @Test func pricingInTheConfigWinsOverTheTable() throws {
        let server = try Self.expensiveServer()
        defer { server.stop() }
        // Ten dollars per million input tokens: $1.00 for the first call alone.
        let fixture = try fixture(server: server, pricing: ", pricing: {input: 10, output: 0}")
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--max-cost", "0.5"])
        #expect(server.requests.filter { $0.method == "POST" }.count == 1)
        #expect(run.stdout.contains("Cost: $1.0000"), "\(run.stdout)")
        #expect(!run.stderr.contains("pricing"), "pricing is read, not warned about: \(run.stderr)")

        // orchestrator.pricing (by model prefix) makes it free: the ceiling is never reached.
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            orchestrator:
              pricing: {gpt-4: {input: 0, output: 0}}
            agents:
              - id: proxy
                backend: {type: chatcompletion, model: gpt-4o, base_url: "\(server.baseURL)/v1", tool_mode: native}

            """)
        let free = try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--max-cost", "0.1", "--agent-timeout", "60"])
        #expect(server.requests.filter { $0.method == "POST" }.count > 2, "kept calling the model: \(server.requests.filter { $0.method == "POST" }.count) requests")
        #expect(!free.stdout.contains("cost ceiling"), "\(free.stdout)")
        try fixture.repository.write(
            ".massgen/config.yaml",
            "agents:\n  - id: p\n    backend: {type: chatcompletion, model: m, base_url: \"\(server.baseURL)/v1\", pricing: {input: -1, output: 2}}\n")
        let refused = try fixture.mg(["config", "check"])
        #expect(refused.status == 65 && refused.stderr.contains("pricing` must be a price in USD per 1M tokens"), "\(refused.stderr)")
    }
}
