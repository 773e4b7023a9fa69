import Foundation
import MGTestSupport
import Testing

/// `mg doctor` and `mg config check --ping` through the built `mg`, against scripted servers on
/// 127.0.0.1: one tiny request per backend, what each answered, and the exit status.
@Suite struct DoctorEndToEndTests {
    /// A Chat Completions server that streams "ok".
    static func okServer() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { _ in
            let chunk =
                #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"ok"},"finish_reason":null}]}"#
            let stop = #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
            return .sse([SSEFrame(data: chunk), SSEFrame(data: stop), SSEFrame(data: "[DONE]")])
        }
    }

    func fixture(_ agents: [(id: String, url: String, key: String?)]) throws -> FixFixture {
        let fixture = try FixFixture(agents: [("scripted", [FixFixture.answer("x")])])
        var config = "agents:\n  - id: scripted\n    backend: {type: scripted, script: scripted.json, model: scripted}\n"
        for agent in agents {
            config += "  - id: \(agent.id)\n    backend: {type: chatcompletion, model: tiny, base_url: \"\(agent.url)/v1\""
            config += agent.key.map { ", api_key: \"\($0)\"}\n" } ?? "}\n"
        }
        try fixture.repository.write(".massgen/config.yaml", config)
        return fixture
    }

    @Test func everyBackendAnswersSoTheMachineIsReady() throws {
        let server = try Self.okServer()
        defer { server.stop() }
        let fixture = try fixture([("local", server.baseURL, nil)])
        let run = try fixture.mg(["doctor"])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("Repository: \(fixture.path)") || run.stdout.contains("Repository: /"))
        #expect(run.stdout.contains("Sandbox: ") && run.stdout.contains("Media: "))
        let line = try #require(run.stdout.split(separator: "\n").first { $0.contains(" local ") })
        #expect(line.contains("ok") && line.contains("first chunk") && line.contains("in all: answered \"ok\""), "\(line)")
        #expect(run.stdout.contains("skip scripted") && run.stdout.contains("no server to ask"))
        // The request was one small non-tool request for the configured model.
        let request = try #require(server.requests.first)
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["model"] as? String == "tiny" && body["tools"] == nil)
        #expect(server.requests.count == 1, "no retries")
    }

    @Test func aRefusedKeyAndAMissingServerExit69EachNamed() throws {
        let ok = try Self.okServer()
        defer { ok.stop() }
        let refused = try LoopbackHTTPServer { _ in .json(status: 401, #"{"error": {"message": "invalid api key"}}"#) }
        defer { refused.stop() }
        let gone = try LoopbackHTTPServer { _ in .text("") }
        let closed = gone.baseURL
        gone.stop()
        let fixture = try fixture([("good", ok.baseURL, nil), ("hosted", refused.baseURL, "sk-secret-1"), ("down", closed, nil)])
        for args in [["doctor", "--json"], ["config", "check", "--ping", "--json"]] {
            let run = try fixture.mg(args)
            #expect(run.status == 69, "\(args): \(run.stdout)\n\(run.stderr)")
            let report = try #require(
                run.stdout.split(separator: "\n").compactMap {
                    try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
                }.first { $0["backends"] != nil })
            let backends = try #require(report["backends"] as? [[String: Any]])
            let statuses = Dictionary(uniqueKeysWithValues: backends.map { ($0["agent"] as? String ?? "", $0["status"] as? String ?? "") })
            #expect(statuses == ["scripted": "skipped", "good": "ok", "hosted": "unauthorized", "down": "unavailable"], "\(args)")
            #expect(!run.stdout.contains("sk-secret-1") && !run.stderr.contains("sk-secret-1"))
        }
        let text = try fixture.mg(["doctor"])
        #expect(text.stdout.contains("FAIL hosted") && text.stdout.contains("HTTP 401"), "\(text.stdout)")
        #expect(text.stdout.contains("FAIL down") && text.stdout.contains("Could not reach"))
    }

    @Test func aServerThatCannotStreamAndAWrongBaseURL() throws {
        let whole = try LoopbackHTTPServer { _ in
            .json(#"{"object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}"#)
        }
        defer { whole.stop() }
        let page = try LoopbackHTTPServer { _ in .bytes(contentType: "text/html", Data("<html>Welcome to nginx!</html>".utf8)) }
        defer { page.stop() }
        let fixture = try fixture([])
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            agents:
              - id: whole
                backend: {type: chatcompletion, model: tiny, base_url: "\(whole.baseURL)/v1", stream: false}
              - id: nginx
                backend: {type: chatcompletion, model: tiny, base_url: "\(page.baseURL)/v1"}

            """)
        let run = try fixture.mg(["doctor"])
        #expect(run.status == 65, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("ok   whole") && run.stdout.contains("answered \"ok\""), "\(run.stdout)")
        #expect(run.stdout.contains("FAIL nginx") && run.stdout.contains("text/html, not an event stream"), "\(run.stdout)")
        let sent = try #require(whole.requests.last { $0.method == "POST" })
        #expect(sent.bodyText.contains(#""stream":false"#))
    }

    @Test func aModelTheServerRefusesIsBadInput() throws {
        let server = try LoopbackHTTPServer { _ in
            .json(status: 404, #"{"error": {"message": "The model `tiny` does not exist", "code": "model_not_found"}}"#)
        }
        defer { server.stop() }
        let fixture = try fixture([("local", server.baseURL, nil)])
        let run = try fixture.mg(["doctor"])
        #expect(run.status == 65, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("FAIL local") && run.stdout.contains("does not exist"), "\(run.stdout)")
    }
}
