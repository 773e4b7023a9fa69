import Foundation
import MGTestSupport
import Testing

/// `mg review` with scripted reviewers: the verdict is the exit status; findings are merged;
/// inside a real pre-push hook a push is refused when changes are requested.
@Suite struct ReviewEndToEndTests {
    static func verdict(_ verdict: String, _ summary: String, findings: String = "[]") -> String {
        #"{"tool_calls": [{"name": "review_verdict", "arguments": {"verdict": "\#(verdict)", "summary": "\#(summary)", "findings": \#(findings)}}]}"#
    }
    static let readCalc = #"{"tool_calls": [{"name": "read_file", "arguments": {"path": "calc.sh"}}]}"#
    static let multiplies1 = #"[{"path": "calc.sh", "line": 1, "severity": "critical", "text": "add() multiplies instead of adding"}]"#
    static let multiplies2 = #"[{"path": "calc.sh", "line": 2, "severity": "major", "text": "add() multiplies its arguments instead of adding them"}]"#
    static let down = #"{"fail": {"kind": "network", "message": "connection refused"}}"#

    /// The fixture's repository with its bug fixed wrongly (`*`) in the working tree.
    static func fixture(_ reviewers: [(String, [String])]) throws -> FixFixture {
        let fixture = try FixFixture(agents: reviewers)
        try fixture.repository.write("calc.sh", "add() { echo $(($1 * $2)); }\n")
        return fixture
    }

    @Test func unanimousApprovalExitsZero() throws {
        let fixture = try FixFixture(agents: [
            ("a", [Self.readCalc, Self.verdict("approve", "Looks right.")]),
            ("b", [Self.verdict("approve", "Fine.")]),
            ("c", [Self.verdict("approve", "Good.")]),
        ])
        try fixture.repository.write("calc.sh", "add() { echo $(($1 + $2)); }\n")
        _ = try fixture.repository.git("commit", "-qam", "fix add")
        let run = try fixture.mg(["review", "HEAD~1..HEAD", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("Approved (majority): 3 of 3 reviewers approve HEAD~1..HEAD"))
        // Nothing left behind: no review worktree, no review branch.
        #expect(try fixture.agentBranches().isEmpty)
        #expect(try fixture.repository.git("worktree", "list", "--porcelain").components(separatedBy: "worktree ").count == 2)
    }

    @Test func aMajorityRequestingChangesExitsOneWithMergedFindings() throws {
        let fixture = try Self.fixture([
            ("a", [Self.verdict("approve", "Looks right.")]),
            ("b", [Self.verdict("request_changes", "Multiplies.", findings: Self.multiplies1)]),
            ("c", [Self.verdict("request_changes", "Wrong operator.", findings: Self.multiplies2)]),
        ])
        try fixture.repository.git("add", "calc.sh")
        let staged = try fixture.repository.git("diff", "--cached")
        let run = try fixture.mg(["review", "--json", "--test", "sh test.sh"])
        #expect(run.status == 1, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        let outcome = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(outcome["verdict"] as? String == "request_changes")
        #expect(outcome["range"] as? String == "staged")
        let findings = try #require(outcome["findings"] as? [[String: Any]])
        #expect(findings.count == 1, "the two reports of one problem merge: \(findings)")
        #expect(findings.first?["severity"] as? String == "critical")
        #expect(Set(findings.first?["agents"] as? [String] ?? []) == ["b", "c"])
        // The user's index and working tree are as they were.
        #expect(try fixture.repository.git("diff", "--cached") == staged)
        // The review is a session: its report shows the verdict and the findings.
        let session = try #require(outcome["session"] as? String)
        let folder = NSTemporaryDirectory() + "mg-review-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try fixture.mg(["report", session, "-o", folder + "/r.html"])
        #expect(report.status == 0, "stderr: \(report.stderr)")
        let html = try String(contentsOfFile: folder + "/r.html", encoding: .utf8)
        #expect(html.contains(#""verdict":"request_changes""#) && html.contains("add() multiplies its arguments"))
    }

    @Test func backendsDownSoTheMissingVotesCouldDecideExit69() throws {
        let fixture = try Self.fixture([
            ("a", [Self.verdict("approve", "Looks right.")]),
            ("b", [Self.down]),
            ("c", [Self.down]),
        ])
        try fixture.repository.git("add", "calc.sh")
        let run = try fixture.mg(["review", "--test", "sh test.sh"])
        #expect(run.status == 69, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stdout.contains("b: unavailable") && run.stdout.contains("connection refused"))
    }

    @Test func aPrePushHookRefusesThePushWhenChangesAreRequested() throws {
        let fixture = try Self.fixture([
            ("a", [Self.verdict("request_changes", "Multiplies.", findings: Self.multiplies1)]),
            ("b", [Self.verdict("request_changes", "Wrong operator.", findings: Self.multiplies2)]),
        ])
        let remote = NSTemporaryDirectory() + "mg-remote-\(UUID().uuidString.prefix(8)).git"
        defer { try? FileManager.default.removeItem(atPath: remote) }
        _ = try fixture.repository.git("init", "-q", "--bare", remote)
        _ = try fixture.repository.git("remote", "add", "origin", remote)
        _ = try fixture.repository.git("push", "-q", "origin", "HEAD:refs/heads/main")
        let install = try fixture.mg(["hook", "install", "pre-push", "--", "review", "--test", "sh test.sh"])
        #expect(install.status == 0, "stderr: \(install.stderr)")
        _ = try fixture.repository.git("commit", "-qam", "make add multiply")
        let push = try ProcessRunner.run(
            "/usr/bin/git", ["push", "origin", "HEAD:refs/heads/main"], in: fixture.path,
            environment: FixFixture.environment)
        #expect(push.status != 0, "the push must be refused: \(push.stdout)\n\(push.stderr)")
        #expect(push.stdout.contains("Changes requested") || push.stderr.contains("Changes requested"), "\(push.stdout)\n\(push.stderr)")
        #expect(push.stdout.contains("(pre-push)") || push.stderr.contains("(pre-push)"))
        let remoteTip = try fixture.repository.git("ls-remote", remote, "refs/heads/main")
        #expect(!remoteTip.contains(try fixture.repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)))
    }
}
