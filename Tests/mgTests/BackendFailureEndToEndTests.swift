import Foundation
import MGTestSupport
import Testing

/// A session whose every agent failed because its backend could not be used is a backend
/// failure: exit 69 and one clear line per backend, not "no acceptable answer" (exit 1).
@Suite struct BackendFailureEndToEndTests {
    @Test func unreachableAndUnauthorizedBackendsExit69WithOneLineEach() throws {
        let refused = try LoopbackHTTPServer { _ in .json(status: 401, #"{"error": {"message": "invalid api key"}}"#) }
        defer { refused.stop() }
        // A port nothing listens on: a server started and stopped.
        let gone = try LoopbackHTTPServer { _ in .text("") }
        let closedURL = gone.baseURL
        gone.stop()
        let fixture = try FixFixture(agents: [])
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            agents:
              - id: local
                backend: {type: chatcompletion, model: m, base_url: "\(closedURL)/v1"}
              - id: hosted
                backend: {type: chatcompletion, model: m, base_url: "\(refused.baseURL)/v1", api_key: "sk-test"}

            """)
        let before = try fixture.repository.userStateSnapshot()
        let run = try fixture.mg(["fix", "add 2 3 prints -1", "--test", "sh test.sh"])
        #expect(run.status == 69, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("No backend could be used: nothing was merged and nothing of yours was changed."))
        let lines = run.stdout.split(separator: "\n").filter { $0.hasPrefix("  chatcompletion") }
        #expect(lines.count == 2, "\(run.stdout)")
        #expect(lines.contains { $0.contains("refused the credentials (HTTP 401)") && $0.hasSuffix("(agent hosted)") })
        #expect(lines.contains { $0.contains("Could not reach") && $0.hasSuffix("(agent local)") })
        #expect(!run.stdout.contains(".."), "no doubled full stops")
        #expect(!run.stdout.contains("sk-test"), "the key never reaches the output")
        #expect(try fixture.repository.userStateSnapshot() == before)
    }
}
