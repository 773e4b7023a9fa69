import Foundation
import MGTestSupport
import Testing

/// The first hour with mg, run as a new user runs it: the built binary, small repositories,
/// wrong input. Each case failed before it was fixed.
@Suite struct FirstHourTests {
    private func fixer() throws -> FixFixture {
        try FixFixture(agents: [("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForAgent1])])
    }

    @Test func aClosedStdoutDoesNotStopTheSession() throws {
        let fixture = try fixer()
        var environment = FixFixture.environment
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        let script = "set -o pipefail; '\(DemoEndToEndTests.mgPath)' fix 'fix add' --test 'sh test.sh' | head -1; echo \"mg=${PIPESTATUS[0]}\""
        let run = try ProcessRunner.run("/bin/bash", ["-c", script], in: fixture.path, environment: environment)
        #expect(run.stdout.contains("mg=0"), "\(run.stdout)\n\(run.stderr)")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"), "the session finished and landed")
        #expect(!(try fixture.repository.git("worktree", "list", "--porcelain")).contains("locked"))
        #expect(try fixture.mg(["status"]).stdout.contains("No running or interrupted sessions."))
    }

    @Test func aRepositoryMidMergeIsRefusedWithAHint() throws {
        let fixture = try fixer()
        let repository = fixture.repository
        _ = try repository.git("checkout", "-q", "-b", "side")
        try repository.write("calc.sh", "add() { echo side; }\n")
        _ = try repository.commitAll("side")
        _ = try repository.git("checkout", "-q", "main")
        try repository.write("calc.sh", "add() { echo main; }\n")
        _ = try repository.commitAll("main")
        _ = try? repository.git("merge", "-q", "side")  // conflicts: the merge stays in progress
        let before = try repository.userStateSnapshot()
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 64, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stderr.contains("in the middle of a merge") && run.stderr.contains("git merge --abort"))
        #expect(try repository.userStateSnapshot() == before)
    }

    @Test func emptyDashedLongAndPipedTasks() throws {
        let fixture = try fixer()
        for task in ["", "   "] {
            let run = try fixture.mg(["fix", task])
            #expect(run.status == 64 && run.stderr.contains("The task is empty"), "\(task): \(run.stderr)")
        }
        let dashed = try fixture.mg(["fix", "-1 is printed for 2 + 3"])
        #expect(dashed.status == 64 && dashed.stderr.contains("put `--` before it: mg fix -- \"-1 is printed for 2 + 3\""))
        // A 120 KB task from a file: the session runs, and the task is not echoed in full.
        let long = "Fix add() in calc.sh.\n" + String(repeating: "context line\n", count: 10_000)
        let file = fixture.path + "/../task-\(UUID().uuidString.prefix(6)).txt"
        try long.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try fixture.mg(["fix", "--task-file", file, "--test", "sh test.sh"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.utf8.count < 20_000, "the task was echoed: \(run.stdout.utf8.count) bytes")
        #expect(run.stdout.contains("Fix add() in calc.sh. (… 126 KB in all) — tests: `sh test.sh`"), "\(run.stdout.prefix(400))")
    }

    @Test func jsonIsJSONLinesEverywhereAndGlobalFlagsGoFirst() throws {
        let fixture = try fixer()
        #expect(try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "-q"]).status == 0)
        for args in [["--json", "sessions"], ["--json", "log"], ["--json", "status"], ["--json", "undo", "--list"], ["stats", "--json"]] {
            let run = try fixture.mg(args)
            #expect(run.status == 0, "\(args): \(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(!lines.isEmpty, "\(args)")
            for line in lines {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(args): \(line)")
                #expect(!line.contains("\\/"), "\(args): escaped slashes in \(line)")
            }
        }
        // A startup error is a JSON object on stdout too.
        let error = try fixture.mg(["--json", "merge", "nobody"])
        #expect(error.status == 64)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(error.stdout.utf8)) as? [String: Any])
        #expect(object["event"] as? String == "error" && object["exit_code"] as? Int == 64)
    }

    @Test func smallerEdgesOfTheCommandLine() throws {
        let fixture = try fixer()
        let help = try fixture.mg(["help", "nosuch"])
        #expect(help.status == 64 && help.stderr.contains("There is no command 'nosuch'"))
        let typo = try fixture.mg(["fxi", "task"])
        #expect(typo.status == 64 && typo.stderr.contains("Did you mean 'fix'?"))
        let negative = try fixture.mg(["fix", "task", "--timeout", "-1"])
        #expect(negative.status == 64 && negative.stderr.contains("--timeout must be a number above 0, not -1"))
        // The test command is named when the session starts.
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.stdout.contains("— tests: `sh test.sh`"))
    }

    @Test func readOnlyCommandsCreateNothing() throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        _ = try repository.commitAll("initial")
        let path = repository.path
        for args in [["status"], ["sessions"], ["log"], ["stats"], ["undo", "--list"], ["branches"], ["hook", "list"],
            ["config", "show"], ["diff", "nobody"]]
        {
            _ = try ProcessRunner.run(DemoEndToEndTests.mgPath, args, in: path, environment: FixFixture.environment)
            #expect(try repository.git("status", "--porcelain", "--ignored").isEmpty, "\(args) created something")
            #expect(!FileManager.default.fileExists(atPath: path + "/.massgen"), "\(args) created .massgen/")
        }
    }

    @Test func aDetachedHeadIsSaidToLandOnNoBranch() throws {
        let fixture = try fixer()
        _ = try fixture.repository.git("checkout", "-q", "--detach")
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("on a detached HEAD (the result lands on no branch)"))
        #expect(run.stdout.contains("on a detached HEAD, so on no branch") && run.stdout.contains("git switch -c NAME"))
    }
}
