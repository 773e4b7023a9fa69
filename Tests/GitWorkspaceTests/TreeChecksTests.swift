import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// Scratch checkouts of trees, overlay trees and the protected-path check of answer commits,
/// each compared with what the git CLI says.
@Suite struct TreeChecksTests {
    private func repository() throws -> TemporaryRepository {
        let repo = try TemporaryRepository()
        try repo.write("calc.py", "def add(a, b):\n    return a - b\n")
        try repo.write("tests/test_calc.py", "from calc import add\nassert add(2, 3) == 5\n")
        try repo.write("config/prod.yaml", "debug: false\n")
        try repo.write("run.sh", "#!/bin/sh\necho run\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/run.sh")
        _ = try repo.commitAll("initial")
        return repo
    }

    @Test func aTreeIsWrittenToAScratchFolderLikeGitArchive() throws {
        let repo = try repository()
        let head = try Repository.open(at: repo.path).head().commit
        let tree = try Repository.open(at: repo.path).tree(ofCommit: try #require(head))
        let checkout = try ScratchCheckout.create(repositoryRoot: repo.path, session: "s1", name: "base", tree: tree)
        defer { checkout.remove() }
        #expect(checkout.path == repo.path + "/.massgen/workspaces/s1/.check-base")
        let listed = try repo.git("ls-tree", "-r", "--name-only", "HEAD").split(separator: "\n").map(String.init)
        for path in listed {
            #expect(FileManager.default.contents(atPath: checkout.path + "/" + path) == repo.read(path), "\(path)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: checkout.path + "/run.sh"))
        #expect(!FileManager.default.fileExists(atPath: checkout.path + "/.git"), "not a worktree")
        // The user's repository is untouched and git sees nothing new.
        #expect(try repo.git("status", "--porcelain") == "")
        #expect(try repo.git("worktree", "list").split(separator: "\n").count == 1)
        checkout.remove()
        #expect(!FileManager.default.fileExists(atPath: checkout.path))
    }

    @Test func anOverlayPutsTheSourcesFilesBackAndLeavesAddedOnesOut() throws {
        let repo = try repository()
        let baseTree = try repo.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.write("calc.py", "def add(a, b):\n    return a + b\n")
        try repo.write("tests/test_calc.py", "assert True\n")
        try repo.write("tests/conftest.py", "collect_ignore = ['test_calc.py']\n")
        _ = try repo.commitAll("answer")
        let repository = try Repository.open(at: repo.path)
        let answerTree = try repository.tree(ofCommit: try #require(try repository.head().commit))
        let base = try #require(ObjectID(hex: baseTree))
        let overlay = try repository.overlay(
            answerTree, paths: ["tests/test_calc.py", "tests/conftest.py"], from: base)
        let files = try repo.git("ls-tree", "-r", "--name-only", overlay.hex)
        #expect(files == "calc.py\nconfig/prod.yaml\nrun.sh\ntests/test_calc.py\n")
        #expect(try repo.git("show", "\(overlay.hex):tests/test_calc.py").contains("assert add(2, 3) == 5"))
        #expect(try repo.git("show", "\(overlay.hex):calc.py").contains("a + b"))
        #expect(try repository.overlay(answerTree, paths: [], from: base) == answerTree)
        _ = try repo.fsck()
        let tests = try repository.filePaths(ofTree: answerTree) { $0.hasPrefix("tests/") }
        #expect(tests == ["tests/conftest.py", "tests/test_calc.py"])
    }

    @Test func anAnswerThatChangedAProtectedPathIsRefusedAndThePathRestored() throws {
        let repo = try repository()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s2")
        let worktree = try #require(
            try WorktreeManager(repositoryRoot: repo.path).create(session: "s2", agents: ["a"], base: base.commit).first)
        try "debug: true\n".write(toFile: worktree.path + "/config/prod.yaml", atomically: true, encoding: .utf8)
        try "secret\n".write(toFile: worktree.path + "/config/new.yaml", atomically: true, encoding: .utf8)
        try "def add(a, b):\n    return a + b\n".write(toFile: worktree.path + "/calc.py", atomically: true, encoding: .utf8)
        let check = ProtectedPathCheck(baseTree: base.tree) { $0.hasPrefix("config/") }
        let outcome = try IterationCommitter.commit(worktree, iteration: 1, summary: "fix", protection: check)
        #expect(outcome == .refused(protectedPaths: ["config/new.yaml", "config/prod.yaml"]))
        // Nothing committed; the protected files are as the base has them; the other change stays.
        #expect(try repo.git("rev-parse", worktree.branch).trimmingCharacters(in: .whitespacesAndNewlines) == base.commit.hex)
        #expect(try String(contentsOfFile: worktree.path + "/config/prod.yaml", encoding: .utf8) == "debug: false\n")
        #expect(!FileManager.default.fileExists(atPath: worktree.path + "/config/new.yaml"))
        #expect(try String(contentsOfFile: worktree.path + "/calc.py", encoding: .utf8).contains("a + b"))
        guard case .committed(let commit) = try IterationCommitter.commit(worktree, iteration: 1, summary: "fix", protection: check)
        else {
            Issue.record("the second attempt should commit")
            return
        }
        #expect(try GitCLI.run(["diff", "--stat", base.commit.hex, commit.commit.hex], in: repo.path).contains("calc.py"))
    }

    @Test func anUnchangedWorktreeCommitsOnlyWhenAllowed() throws {
        let repo = try repository()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s3")
        let worktree = try #require(
            try WorktreeManager(repositoryRoot: repo.path).create(session: "s3", agents: ["a"], base: base.commit).first)
        guard case .unchanged = try IterationCommitter.commit(worktree, iteration: 1, summary: "nothing") else {
            Issue.record("an unchanged worktree makes no commit by default")
            return
        }
        guard case .committed(let commit) = try IterationCommitter.commit(
            worktree, iteration: 1, summary: "Nothing to change.", allowUnchanged: true)
        else {
            Issue.record("allowUnchanged commits")
            return
        }
        #expect(commit.tree == base.tree)
        #expect(try repo.git("log", "-1", "--format=%s", worktree.branch) == "Nothing to change.\n")
        _ = try repo.fsck()
    }
}
