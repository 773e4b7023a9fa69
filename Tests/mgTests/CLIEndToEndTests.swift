import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// The built `mg` run like a user (or git) runs it: exit statuses, messages, `git mg`, hooks.
@Suite struct CLIEndToEndTests {
    static let noKeys = ["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "GEMINI_API_KEY": "", "GOOGLE_API_KEY": ""]

    func mg(_ args: [String], in directory: String, env: [String: String] = [:]) throws -> GitCLI.Output {
        try ProcessRunner.run(DemoEndToEndTests.mgPath, args, in: directory, environment: GitCLI.environment(Self.noKeys.merging(env) { $1 }))
    }

    func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func helpListsEveryCommandWithExamples() throws {
        let run = try mg(["--help"], in: "/")
        #expect(run.status == 0)
        for command in ["init", "config", "branches", "diff", "merge", "clean", "hook", "completions", "Examples:", "75"] {
            #expect(run.stdout.contains(command), "missing \(command)")
        }
        let merge = try mg(["merge", "--help"], in: "/")
        #expect(merge.stdout.contains("mg merge agent2 --mode apply"))
        let completions = try mg(["completions", "bash"], in: "/")
        #expect(completions.status == 0 && completions.stdout.contains("_mg"))
    }

    @Test func worksAsGitMG() throws {
        let repository = try TemporaryRepository()
        let bin = repository.path + ".bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try FileManager.default.createSymbolicLink(atPath: bin + "/git-mg", withDestinationPath: DemoEndToEndTests.mgPath)
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let run = try GitCLI.runAllowingFailure(["mg", "init"], in: repository.path, env: ["PATH": path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: repository.path + "/.massgen/config.yaml"))
        #expect(try repository.git("status", "--porcelain") == "")
    }

    @Test func usageErrorsExit64() throws {
        let repository = try TemporaryRepository()
        #expect(try mg(["branches", "--frobnicate"], in: repository.path).status == 64)
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("mg-norepo-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let noRepo = try mg(["branches"], in: outside)
        #expect(noRepo.status == 64 && noRepo.stderr.contains("Not inside a git repository") && noRepo.stderr.contains("Hint:"))
        let bare = try TemporaryRepository(bare: true)
        let bareRun = try mg(["init"], in: bare.path)
        #expect(bareRun.status == 64 && bareRun.stderr.contains("bare"))
        // Limits must be positive numbers; refused before any configuration or agent is touched.
        for (flag, value) in [("--timeout", "0"), ("--agent-timeout", "-3"), ("--max-cost", "nan")] {
            let run = try mg(["fix", "x", "\(flag)=\(value)"], in: repository.path)
            #expect(run.status == 64 && run.stderr.contains("\(flag) must be a number above 0"), "\(flag): \(run.stderr)")
        }
    }

    @Test func configErrorsExit65WithLineAndColumnOr69WithoutKeys() throws {
        let repository = try TemporaryRepository()
        let file = repository.path + "/bad.yaml"
        try write("agents:\n  - id: a\n    backend: [\n", to: file)
        let syntax = try mg(["config", "check", "bad.yaml"], in: repository.path)
        #expect(syntax.status == 65 && syntax.stderr.contains("bad.yaml:4:1: invalid YAML"))
        try write("agents:\n  - backend:\n      type: frob\n      model: x\n", to: file)
        let unknown = try mg(["config", "check", file], in: repository.path)
        #expect(unknown.status == 65 && unknown.stderr.contains("bad.yaml:3:13") && unknown.stderr.contains("Unknown backend type \"frob\""))
        try write("agents:\n  - backend:\n      model: claude-sonnet-4-5\n", to: file)
        let missingKey = try mg(["config", "check", file], in: repository.path)
        #expect(missingKey.status == 69 && missingKey.stderr.contains("ANTHROPIC_API_KEY"))
        let nothing = try mg(["config", "check"], in: repository.path)
        #expect(nothing.status == 69 && nothing.stderr.contains("base_url") && nothing.stderr.contains("mg init"))
    }

    @Test func configCheckPrintsMaskedKeysAndWarnings() throws {
        let repository = try TemporaryRepository()
        let file = repository.path + "/three.yaml"
        try write(
            """
            agents:
              - id: "gemini"
                backend: {type: "gemini", model: "gemini-2.5-flash", enable_web_search: true}
              - id: "gpt"
                backend: {type: "openai", model: "gpt-5-mini"}
              - id: "local"
                timeout_seconds: 900
                backend: {type: "vllm", model: "Qwen/Qwen3-4B", top_k: 50}
            ui: {display_type: "rich_terminal"}
            """, to: file)
        let key = "sk-proj-secretsecretsecret-9876"
        let run = try mg(["config", "check", file], in: repository.path, env: ["OPENAI_API_KEY": key, "GOOGLE_API_KEY": "AIzaSecretSecretSecret1234"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("gpt: openai gpt-5-mini at https://api.openai.com/v1, key sk-…9876 ($OPENAI_API_KEY)"))
        #expect(run.stdout.contains("local: vllm Qwen/Qwen3-4B at http://localhost:8000/v1, key not needed, timeout 900s"))
        #expect(!run.stdout.contains(key) && !run.stderr.contains(key) && !run.stdout.contains("AIzaSecret"))
        #expect(run.stderr.contains("warning: agents[0].backend.enable_web_search is not supported by mg and is ignored"))
        #expect(
            run.stderr.contains(
                "warning: ui.display_type is not needed by mg: mg picks its display from the terminal"))
        let json = try mg(["config", "check", file, "--json", "--agents", "4"], in: repository.path, env: ["OPENAI_API_KEY": key, "GEMINI_API_KEY": "g-123456789012"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let agents = try #require(object["agents"] as? [[String: Any]])
        #expect(agents.compactMap { $0["id"] as? String } == ["gemini", "gpt", "local", "gemini-2"])
    }

    @Test func aRepositoryLockedByAnotherMGExits75() throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        let lock = try RepositoryLock(layout: ProjectLayout(repositoryRoot: repository.path), purpose: "mg fix (test)")
        let run = try mg(["clean"], in: repository.path)
        #expect(run.status == 75 && run.stderr.contains("mg fix (test)"), "\(run.stderr)")
        withExtendedLifetime(lock) {}
    }

    /// A session branch made with the git CLI, as mg writes them (answers carry trailers).
    func makeSession(_ repository: TemporaryRepository) throws {
        try repository.write("calc.py", "def add(a, b):\n    return a - b\n")
        try repository.commitAll("base")
        try repository.git("branch", "massgen/s1/agent1")
        try repository.git("worktree", "add", "-q", repository.path + ".agent1", "massgen/s1/agent1")
        try write("def add(a, b):\n    return a + b\n", to: repository.path + ".agent1/calc.py")
        try GitCLI.run(
            ["commit", "-q", "-am", "Fix add\n\nMg-Session: s1\nMg-Agent: agent1\nMg-Iteration: 1"], in: repository.path + ".agent1")
        try repository.git("worktree", "remove", repository.path + ".agent1")
    }

    @Test func branchesDiffAndMergeWorkFromTheBranchAlone() throws {
        let repository = try TemporaryRepository()
        try makeSession(repository)
        let branches = try mg(["branches"], in: repository.path)
        #expect(branches.status == 0 && branches.stdout.contains("massgen/s1/agent1") && branches.stdout.contains("1 answer(s)  Fix add"))
        let diff = try mg(["diff", "agent1"], in: repository.path)
        #expect(diff.status == 0)
        #expect(diff.stdout == (try repository.git("diff", "-M", "main", "massgen/s1/agent1")))
        #expect(try mg(["diff", "agent9"], in: repository.path).status == 64)
        let merge = try mg(["merge", "agent1"], in: repository.path)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try repository.git("log", "-1", "--format=%s") == "Fix add\n")
        #expect(try repository.git("show", "HEAD:calc.py").contains("a + b"))
        try repository.fsck()
    }

    @Test func aMergeAfterTheUserMovedIsRefusedWithExit2() throws {
        let repository = try TemporaryRepository()
        try makeSession(repository)
        try repository.write("calc.py", "def add(a, b):\n    return b + a\n")
        try repository.commitAll("user fix")
        let before = try repository.userStateSnapshot()
        let run = try mg(["merge", "agent1"], in: repository.path)
        #expect(run.status == 2 && run.stderr.contains("Merge refused") && run.stderr.contains("Hint:"))
        #expect(try repository.userStateSnapshot() == before)
    }

    @Test func aPrePushHookRunsMGThroughGitPush() throws {
        let remote = try TemporaryRepository(bare: true)
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        try repository.git("remote", "add", "origin", remote.path)
        let existing = repository.path + "/.git/hooks/pre-push"
        try write("#!/bin/sh\necho \"user hook saw $(cat)\" >&2\n", to: existing)
        chmod(existing, 0o755)
        try write("agents:\n  - backend: {type: ollama, model: qwen2.5-coder}\n", to: repository.path + "/mg.yaml")
        let install = try mg(["hook", "install", "pre-push", "--", "config", "check", "mg.yaml"], in: repository.path)
        #expect(install.status == 0, "\(install.stderr)")
        let push = try GitCLI.runAllowingFailure(["push", "origin", "main"], in: repository.path)
        #expect(push.status == 0, "\(push.stderr)")
        #expect(push.stderr.contains("user hook saw refs/heads/main"))
        #expect(push.stdout.contains("agent1: ollama qwen2.5-coder") || push.stderr.contains("agent1: ollama qwen2.5-coder"))
        // A failing mg fails the push.
        try write("agents: [\n", to: repository.path + "/mg.yaml")
        try repository.write("a.txt", "b\n")
        try repository.commitAll("second")
        let refused = try GitCLI.runAllowingFailure(["push", "origin", "main"], in: repository.path)
        #expect(refused.status != 0 && refused.stderr.contains("invalid YAML"))
        #expect(try mg(["hook", "uninstall", "pre-push"], in: repository.path).status == 0)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "#!/bin/sh\necho \"user hook saw $(cat)\" >&2\n")
    }

    @Test func insideAHookGitsVariablesFindTheRepositoryAndAreCleared() throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        try makeSessionBranchOnly(repository)
        let install = try mg(["hook", "install", "pre-commit", "--", "branches"], in: repository.path)
        #expect(install.status == 0, "\(install.stderr)")
        try repository.write("a.txt", "b\n")
        // `commit -a` makes git export GIT_INDEX_FILE (a temporary index) to the hook.
        let commit = try GitCLI.runAllowingFailure(["commit", "-a", "-m", "user"], in: repository.path)
        #expect(commit.status == 0, "\(commit.stderr)")
        #expect((commit.stdout + commit.stderr).contains("massgen/s9/agent1"))
    }

    func makeSessionBranchOnly(_ repository: TemporaryRepository) throws {
        try repository.git("branch", "massgen/s9/agent1")
    }
}
