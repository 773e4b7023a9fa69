import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// Hooks installed by mg and fired by the real `git`.
@Suite struct HookInstallerTests {
    /// A stand-in for the `mg` binary: records its arguments and stdin, exits with $FAKE_MG_STATUS.
    static func fakeMG(in repository: TemporaryRepository) throws -> String {
        let path = repository.path + ".fake-mg"
        let script = """
            #!/bin/sh
            echo "mg $* hook=$MG_HOOK" >> "$FAKE_MG_LOG"
            cat >> "$FAKE_MG_LOG"
            exit ${FAKE_MG_STATUS:-0}

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    func log(_ repository: TemporaryRepository) -> String { repository.path + ".hook.log" }

    @Test func installChainsTheExistingHookAndUninstallRestoresItByteForByte() throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        let hook = repository.path + "/.git/hooks/pre-commit"
        let original = "#!/bin/sh\n# the user's own hook\necho \"user hook ran\" >> \"$FAKE_MG_LOG\"\n"
        try original.write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o750)
        let installer = HookInstaller(repository: try Repository.open(at: repository.path))
        let installation = try installer.install(name: "pre-commit", arguments: ["config", "check", "it's"], executable: try Self.fakeMG(in: repository))
        #expect(installation.chainedHook == hook + ".pre-mg")

        try repository.write("a.txt", "b\n")
        try repository.git("add", "a.txt")
        let env = ["FAKE_MG_LOG": log(repository)]
        try GitCLI.run(["commit", "-q", "-m", "second"], in: repository.path, env: env)
        let lines = try String(contentsOfFile: log(repository), encoding: .utf8)
        #expect(lines == "user hook ran\nmg config check it's hook=pre-commit\n")

        // A failing mg fails the hook, so git refuses the commit.
        try repository.write("a.txt", "c\n")
        try repository.git("add", "a.txt")
        let refused = try GitCLI.runAllowingFailure(["commit", "-q", "-m", "third"], in: repository.path, env: env.merging(["FAKE_MG_STATUS": "3"]) { $1 })
        #expect(refused.status != 0)
        #expect(try repository.git("log", "--format=%s") == "second\nbase\n")

        let removal = try installer.uninstall(name: "pre-commit")
        #expect(removal.restoredOriginal)
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == original)
        let mode = try FileManager.default.attributesOfItem(atPath: hook)[.posixPermissions] as? Int
        #expect(mode == 0o750)
        #expect(!FileManager.default.fileExists(atPath: hook + ".pre-mg"))
        #expect(throws: GitWorkspaceError.self) { try installer.uninstall(name: "pre-commit") }
    }

    @Test func prePushGetsTheRefListOnStdinInBothHooks() throws {
        let remote = try TemporaryRepository(bare: true)
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        try repository.git("remote", "add", "origin", remote.path)
        let hook = repository.path + "/.git/hooks/pre-push"
        try "#!/bin/sh\necho \"user pre-push $1\" >> \"$FAKE_MG_LOG\"\ncat >> \"$FAKE_MG_LOG\"\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let installer = HookInstaller(repository: try Repository.open(at: repository.path))
        _ = try installer.install(name: "pre-push", arguments: ["status"], executable: try Self.fakeMG(in: repository))
        try GitCLI.run(["push", "-q", "origin", "main"], in: repository.path, env: ["FAKE_MG_LOG": log(repository)])
        let head = try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let refLine = "refs/heads/main \(head) refs/heads/main \(String(repeating: "0", count: 40))\n"
        let lines = try String(contentsOfFile: log(repository), encoding: .utf8)
        #expect(lines == "user pre-push origin\n" + refLine + "mg status hook=pre-push\n" + refLine)
    }

    @Test func coreHooksPathIsHonouredRelativeToTheWorkingTree() throws {
        let repository = try TemporaryRepository()
        try repository.git("config", "core.hooksPath", "tools/hooks")
        let installer = HookInstaller(repository: try Repository.open(at: repository.path))
        #expect(installer.hooksDirectory == repository.path + "/tools/hooks")
        let installation = try installer.install(name: "commit-msg", arguments: ["config", "check"], executable: "/nonexistent/mg")
        #expect(installation.hookPath == repository.path + "/tools/hooks/commit-msg")
        #expect(installer.installedHooks().map(\.command) == ["config check"])
        #expect(throws: GitWorkspaceError.self) { try installer.install(name: "pre-comit", arguments: ["x"], executable: "mg") }
    }

    @Test func linkedWorktreesShareTheCommonHooksFolder() throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        let linked = repository.path + "-linked"
        try repository.git("worktree", "add", "-q", "-b", "side", linked)
        defer { try? FileManager.default.removeItem(atPath: linked) }
        let installer = HookInstaller(repository: try Repository.discover(from: linked, honourEnvironment: false))
        #expect(installer.hooksDirectory == repository.path + "/.git/hooks")
    }

    @Test func mgsOwnCommitsNeverRunTheUsersHooks() throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        try repository.commitAll("base")
        let hook = repository.path + "/.git/hooks/pre-commit"
        try "#!/bin/sh\necho refused >&2\nexit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        let head = try #require(ObjectID(hex: try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)))
        let worktree = try #require(try WorktreeManager(repositoryRoot: repository.path).create(session: "s1", agents: ["agent1"], base: head).first)
        try "fixed\n".write(toFile: worktree.path + "/a.txt", atomically: true, encoding: .utf8)
        let outcome = try IterationCommitter.commit(worktree, iteration: 1, summary: "fix a")
        guard case .committed = outcome else { Issue.record("expected a commit, got \(outcome)"); return }
        #expect(try repository.git("log", "-1", "--format=%s", "massgen/s1/agent1") == "fix a\n")
        // The same hook does stop the git CLI.
        try repository.write("a.txt", "user\n")
        try repository.git("add", "a.txt")
        #expect(try GitCLI.runAllowingFailure(["commit", "-q", "-m", "user"], in: repository.path).status == 1)
    }
}
