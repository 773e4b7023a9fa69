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

    @Test func demoMergesTheWinnerAndKeepsTheUsersWork() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("mg-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let run = try ProcessRunner.run(Self.mgPath, ["demo", "--directory", parent], in: parent, environment: GitCLI.environment())
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("Winner agent-a merged back with mode 'apply'"))
        let repo = try #require(try FileManager.default.contentsOfDirectory(atPath: parent).first { $0.hasPrefix("mg-demo-") })
        let path = parent + "/" + repo
        #expect(try GitCLI.run(["status", "--porcelain"], in: path) == " M README.md\n M src/login.swift\n?? NOTES.txt\n")
        #expect(try GitCLI.run(["diff", "--numstat", "src/login.swift"], in: path) == "1\t1\tsrc/login.swift\n")
        let worktrees = try GitCLI.run(["worktree", "list", "--porcelain"], in: path)
        #expect(worktrees.components(separatedBy: "branch refs/heads/massgen/demo/").count == 4)
        try GitCLI.run(["fsck", "--full", "--strict", "--no-progress"], in: path)
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let run = try ProcessRunner.run(Self.mgPath, ["frobnicate"], in: "/", environment: GitCLI.environment())
        #expect(run.status == 64)
        #expect(run.stderr.contains("frobnicate"))
    }
}
