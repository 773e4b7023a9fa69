import Foundation
import MGTestSupport
import Testing

/// `mg report`, `mg fix --report` and `mg fix --web` seen through a real browser: headless
/// Chromium loads the page and the test reads the DOM it built.
@Suite(.serialized) struct ReportEndToEndTests {
    /// Three agents: fixer (right, agent1), guesser (wrong, agent2), helper (right, agent3); all vote agent1.
    static func threeAgents(answerDelay: Int = 0) throws -> FixFixture {
        let vote = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "its tests pass"}}], "await_context": "Answers you can vote for: agent1, agent2, agent3.", "await_poll_ms": 30}"#
        return try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add(): use +.", delay: answerDelay), vote]),
            ("guesser", [FixFixture.wrongFix, FixFixture.answer("Make add() multiply.", delay: answerDelay), vote]),
            ("helper", [FixFixture.correctFix, FixFixture.answer("Use plus in add().", delay: answerDelay), vote]),
        ])
    }

    static func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "mg-report-test-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theReportOfAThreeAgentSessionShowsLanesHeatmapDiffAndVotes() throws {
        let fixture = try Self.threeAgents()
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/report.html"
        let run = try fixture.mg(["fix", "add 2 3 prints -1", "--test", "sh test.sh", "--report", file])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("Report: \(file)"))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size < 1_000_000, "the report is \(size) bytes")
        let html = try String(contentsOfFile: file, encoding: .utf8)
        #expect(
            html.range(of: #"(src|href)=["']?https?:|url\(|@import"#, options: .regularExpression) == nil,
            "the report must load nothing from the network")

        let page = try HeadlessChromium.dumpDOM("file://" + file, profile: folder)
        #expect(page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        let dom = page.dom
        #expect(HeadlessChromium.count(#"class="lane""#, in: dom) == 3)
        #expect(HeadlessChromium.count(#"class="cell""#, in: dom) == 3, "one heatmap cell per pair of 3 agents")
        #expect(HeadlessChromium.count(#"<line class="edge""#, in: dom) == 3, "one vote edge per vote")
        let winner = try #require(dom.range(of: #"class="answer winner""#))
        let winnerSection = String(dom[winner.lowerBound...].prefix(4000))
        #expect(winnerSection.contains(#"data-agent="fixer""#))
        #expect(winnerSection.contains(#"class="line add""#) && winnerSection.contains("$(($1 + $2)); }"))
        #expect(winnerSection.contains(#"class="line del""#) && winnerSection.contains("$(($1 - $2)); }"))
        #expect(dom.contains("fixer (agent1) won"))
        #expect(dom.contains("converged") || dom.contains("mixed") || dom.contains("diverse"))

        let shot = folder + "/report.png"
        try HeadlessChromium.screenshot("file://" + file, to: shot, profile: folder)
        let shotSize = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(shotSize > 10_000, "screenshot \(shot) has \(shotSize) bytes")
    }

    @Test func aTwoThousandLineDiffIsShortenedWithANote() throws {
        let big = (1...2_000).map { "line \($0)" }.joined(separator: "\\n")
        let write = #"{"tool_calls": [{"name": "write_file", "arguments": {"path": "big.txt", "content": "\#(big)\n"}}]}"#
        let vote = #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "fine"}}]}"#
        let fixture = try FixFixture(agents: [("writer", [write, FixFixture.answer("Add big.txt."), vote])])
        let run = try fixture.mg(["fix", "add a big file", "--test", "true"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try fixture.mg(["report", "-o", folder + "/r.html"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let html = try String(contentsOfFile: folder + "/r.html", encoding: .utf8)
        #expect(html.contains("Shortened: "), "a 2,000-line diff must be cut with a note")
        #expect(html.range(of: #""omittedLines":1\d\d\d"#, options: .regularExpression) != nil, "the file says how many lines it left out")
        #expect(html.contains("+line 1\"") && !html.contains("+line 2000\""), "the start of the file is shown, the rest is cut")
        #expect(html.utf8.count < 1_000_000)
    }

    @Test func theLivePageFollowsARunningSession() throws {
        let fixture = try Self.threeAgents(answerDelay: 1500)
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let running = try fixture.start(["fix", "add 2 3 prints -1", "--test", "sh test.sh", "--web"])
        #expect(running.waitFor("Live view: "))
        let line = try #require(running.stdout.split(separator: "\n").first { $0.hasPrefix("Live view: ") })
        let url = String(line.dropFirst("Live view: ".count))
        #expect(url.hasPrefix("http://127.0.0.1:") && url.contains("?token="))
        // Without the token the server refuses.
        let refused = try ProcessRunner.run(
            "/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", String(url.prefix { $0 != "?" })],
            in: folder, environment: ["PATH": "/usr/bin:/bin"])
        #expect(refused.stdout == "403")
        let session = try #require(url.split(separator: "/").last?.split(separator: "?").first.map(String.init))
        let events = fixture.path + "/.massgen/sessions/\(session)/events.jsonl"
        let finishedBefore = (try? String(contentsOfFile: events, encoding: .utf8))?.contains("session_finished") ?? false
        #expect(!finishedBefore, "the page must open while the session runs")

        let page = try HeadlessChromium.dumpDOM(url, profile: folder)
        #expect(running.wait() == 0, "stdout: \(running.stdout)\nstderr: \(running.stderr)")
        #expect(page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        for kind in ["answer", "vote", "merged", "session_finished"] {
            #expect(page.dom.contains(#"data-event="\#(kind)""#), "the live page never received \(kind)")
        }
        #expect(page.dom.contains("session over"))
        #expect(HeadlessChromium.count(#"class="lane""#, in: page.dom) == 3)
    }
}
