import Foundation
import MGTestSupport
import Testing

/// Runs the built `mg` binary like a user would.
@Suite struct DemoEndToEndTests {
    /// The `mg` executable built beside the test runner (`.build/<triple>/debug/`).
    static var mgPath: String {
        let runner = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("mg").path
    }

    @Test func demoFixesTheSampleBugWithThreeScriptedAgents() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("mg-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let run = try ProcessRunner.run(Self.mgPath, ["demo", "--directory", parent], in: parent, environment: GitCLI.environment(["CI": ""]))
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        let out = run.stdout
        // Anonymous ids are drawn per session, so the lines are matched around them.
        #expect(out.range(of: #"Winner: careful \(agent\d\) — tests pass \(4 passed\), 3 of 3 votes"#, options: .regularExpression) != nil)
        #expect(out.range(of: #"hasty +agent\d, 0 votes, tests fail \(2 failing\), excluded: fixes none of the tests that fail on the base"#, options: .regularExpression) != nil)
        #expect(out.range(of: #"partial +agent\d, 0 votes, tests fail \(1 failing\)\n"#, options: .regularExpression) != nil)
        #expect(out.contains("Base (before any change): failed (exit code 1), 2 passed, 2 failed"))
        #expect(out.contains("These agents were scripted"))
        #expect(out.contains("ANTHROPIC_API_KEY") && out.contains("base_url: \"http://127.0.0.1:8089/v1\""))
        #expect(out.contains("git log --all --graph") && out.contains("mg branches"))
        // Only the model is scripted: the tests really ran in each worktree.
        #expect(out.contains("careful: run_command {\"command\":\"sh test.sh\"}"))
        #expect(!out.contains("not counted"))

        let repo = try #require(try FileManager.default.contentsOfDirectory(atPath: parent).first { $0.hasPrefix("mg-demo-") })
        let path = parent + "/" + repo
        #expect(try GitCLI.run(["status", "--porcelain"], in: path) == "")
        #expect(try GitCLI.run(["rev-list", "--count", "HEAD"], in: path) == "2\n")
        let tests = try ProcessRunner.run("/bin/sh", ["test.sh"], in: path, environment: GitCLI.environment())
        #expect(tests.status == 0 && tests.stdout.contains("# pass 4"))
        let branches = try GitCLI.run(["for-each-ref", "--format=%(refname:short)", "refs/heads/massgen/"], in: path)
        #expect(branches.split(separator: "\n").map { $0.split(separator: "/").last.map(String.init) ?? "" } == ["careful", "hasty", "partial"])
        let worktrees = try GitCLI.run(["worktree", "list", "--porcelain"], in: path)
        #expect(worktrees.components(separatedBy: "worktree ").count - 1 == 1)
        try GitCLI.run(["fsck", "--full", "--strict", "--no-progress"], in: path)

        // A real recorded session: every follow-up the demo prints works in its repository.
        #expect(out.contains("mg log ") && out.contains("mg undo "))
        func mg(_ args: [String]) throws -> GitCLI.Output {
            try ProcessRunner.run(Self.mgPath, args, in: path, environment: GitCLI.environment(["CI": ""]))
        }
        let session = try #require(
            out.range(of: #"Land another answer instead \(after undoing this one\): mg merge hasty --session (\S+)"#,
                options: .regularExpression).map { String(out[$0].split(separator: " ").last ?? "") })
        let log = try mg(["log"])
        #expect(log.status == 0 && log.stdout.contains("winner: careful") && log.stdout.contains("decided by:"), "\(log.stdout)")
        #expect(try mg(["sessions"]).stdout.contains(session))
        let undo = try mg(["undo"])
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(try GitCLI.run(["rev-list", "--count", "HEAD"], in: path) == "1\n")
        let merge = try mg(["merge", "hasty", "--session", session])
        #expect(merge.status == 0 && merge.stderr.contains("failed the gate"), "\(merge.stdout)\n\(merge.stderr)")
        #expect(try GitCLI.run(["show", "HEAD:stats.py"], in: path).contains("round("))
        #expect(try GitCLI.run(["status", "--porcelain"], in: path) == "")
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let run = try ProcessRunner.run(Self.mgPath, ["frobnicate"], in: "/", environment: GitCLI.environment())
        #expect(run.status == 64)
        #expect(run.stderr.contains("frobnicate"))
    }
}
