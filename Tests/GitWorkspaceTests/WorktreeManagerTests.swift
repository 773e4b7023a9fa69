import Foundation
import GitWorkspace
import MGTestSupport
import Testing

@Suite struct WorktreeManagerTests {
    private func repoWithCommit() throws -> TemporaryRepository {
        let repo = try TemporaryRepository()
        try repo.write("src/main.txt", "hello\n")
        try repo.commitAll("initial")
        return repo
    }

    @Test func createsLockedWorktreesOnTheirOwnBranches() throws {
        let repo = try repoWithCommit()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let manager = WorktreeManager(repositoryRoot: repo.path)
        let worktrees = try manager.create(session: "s1", agents: ["a", "b", "c"], base: base.commit)
        #expect(worktrees.map(\.path) == ["a", "b", "c"].map { repo.path + "/.massgen/workspaces/s1/" + $0 })

        let porcelain = try repo.git("worktree", "list", "--porcelain")
        for worktree in worktrees {
            #expect(porcelain.contains("worktree \(worktree.path)\nHEAD \(base.commit.hex)\nbranch \(worktree.branch)\nlocked mg session s1 agent \(worktree.agent) (pid \(getpid()))"))
            #expect(FileManager.default.contents(atPath: worktree.path + "/src/main.txt") == Data("hello\n".utf8))
            #expect(try GitCLI.run(["status", "--porcelain", "--untracked-files=all"], in: worktree.path) == "")
        }
        #expect(try repo.git("status", "--porcelain") == "", ".massgen ignores itself")
        #expect(try repo.git("check-ignore", ".massgen/workspaces/s1/a/src/main.txt").isEmpty == false)
        try repo.fsck()
    }

    @Test func concurrentCreationIsSafe() async throws {
        let repo = try repoWithCommit()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "p")
        let manager = WorktreeManager(repositoryRoot: repo.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask { _ = try manager.create(session: "p\(index)", agents: ["x", "y"], base: base.commit) }
            }
            try await group.waitForAll()
        }
        let listed = try repo.git("worktree", "list", "--porcelain").components(separatedBy: "\nworktree ").count
        #expect(listed == 17)
        #expect(try manager.worktrees().count == 16)
        try repo.fsck()
    }

    @Test func failedCreationRollsBackTheBranch() throws {
        let repo = try repoWithCommit()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s")
        let manager = WorktreeManager(repositoryRoot: repo.path)
        // The folder exists and is not empty: libgit2 refuses; the new branch must not stay behind.
        try repo.write(".massgen/workspaces/s/a/occupied.txt", "x")
        #expect(throws: GitWorkspaceError.self) {
            _ = try manager.create(session: "s", agents: ["a"], base: base.commit)
        }
        #expect(try repo.git("branch", "--list", "massgen/*") == "")
    }

    @Test func iterationCommitsCarryTrailersAndSkipSecrets() throws {
        let repo = try repoWithCommit()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let worktree = try #require(try WorktreeManager(repositoryRoot: repo.path)
            .create(session: "s1", agents: ["agent-a"], base: base.commit).first)
        try "fixed\n".write(toFile: worktree.path + "/src/main.txt", atomically: true, encoding: .utf8)
        try "new\n".write(toFile: worktree.path + "/new file.txt", atomically: true, encoding: .utf8)
        try "TOKEN=1\n".write(toFile: worktree.path + "/.env.local", atomically: true, encoding: .utf8)
        try "k\n".write(toFile: worktree.path + "/id_rsa", atomically: true, encoding: .utf8)

        let outcome = try IterationCommitter.commit(worktree, iteration: 1, summary: "Fix main\n\nDetails.")
        guard case .committed(let commit) = outcome else {
            Issue.record("expected a commit, got \(outcome)")
            return
        }
        #expect(commit.skippedSecrets == [".env.local", "id_rsa"])
        let tip = try repo.git("rev-parse", worktree.branch).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(tip == commit.commit.hex)
        let trailers = try repo.git("log", "-1", "--format=%(trailers)", tip)
        #expect(trailers == "Mg-Session: s1\nMg-Agent: agent-a\nMg-Iteration: 1\n\n")
        #expect(try repo.git("diff", "--name-status", base.commit.hex, tip) == "A\tnew file.txt\nM\tsrc/main.txt\n")

        // Nothing changed: the worktree's index file is left alone (same inode, not rewritten).
        let indexPath = try GitCLI.run(["rev-parse", "--path-format=absolute", "--git-path", "index"], in: worktree.path)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let indexBefore = try FileManager.default.attributesOfItem(atPath: indexPath)[.systemFileNumber] as? Int
        let again = try IterationCommitter.commit(worktree, iteration: 2, summary: "same")
        #expect(again == .unchanged(head: commit.commit, skippedSecrets: [".env.local", "id_rsa"]))
        #expect(indexBefore != nil)
        #expect(try FileManager.default.attributesOfItem(atPath: indexPath)[.systemFileNumber] as? Int == indexBefore)
        #expect(try GitCLI.run(["status", "--porcelain"], in: worktree.path) == "?? .env.local\n?? id_rsa\n")
        try repo.fsck()
    }

    @Test func removeCommitsLeftoversAndRefusesLockedWorktrees() throws {
        let repo = try repoWithCommit()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let manager = WorktreeManager(repositoryRoot: repo.path)
        let worktree = try #require(try manager.create(session: "s1", agents: ["a"], base: base.commit).first)
        try "left over\n".write(toFile: worktree.path + "/untracked.txt", atomically: true, encoding: .utf8)

        #expect(throws: GitWorkspaceError.self) { _ = try manager.remove(worktree) }
        #expect(FileManager.default.fileExists(atPath: worktree.path + "/untracked.txt"))

        try manager.unlock(worktree)
        let removal = try manager.remove(worktree)
        #expect(removal.leftoverCommit != nil)
        #expect(!FileManager.default.fileExists(atPath: worktree.path))
        #expect(try repo.git("show", "\(worktree.branch):untracked.txt") == "left over\n")
        #expect(!(try repo.git("worktree", "list", "--porcelain")).contains(worktree.path))
        try repo.fsck()
    }

    @Test func prunesWorktreesWhoseFoldersVanished() throws {
        let repo = try repoWithCommit()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let manager = WorktreeManager(repositoryRoot: repo.path)
        let worktrees = try manager.create(session: "s1", agents: ["gone", "alive"], base: base.commit)
        try FileManager.default.removeItem(atPath: worktrees[0].path)
        // Locked by this (living) process: kept.
        #expect(try manager.pruneStale() == [])
        try manager.unlock(worktrees[0])
        #expect(try manager.pruneStale() == [worktrees[0].adminName])
        let porcelain = try repo.git("worktree", "list", "--porcelain")
        #expect(!porcelain.contains(worktrees[0].path) && porcelain.contains(worktrees[1].path))
        #expect(try repo.git("branch", "--list", "massgen/s1/gone").contains("massgen/s1/gone"))
    }
}

@Suite struct WorktreePopulationTests {
    /// mg fills new worktrees itself (not through libgit2's checkout): the files must be byte for
    /// byte what `git worktree add` writes — filters, modes and links included — and the index
    /// must match, so git sees a clean tree.
    @Test func filesAndIndexMatchWhatGitChecksOut() throws {
        let repo = try TemporaryRepository()
        try repo.write(".gitattributes", "*.crlf eol=crlf\n*.id ident\n")
        try repo.write("a.crlf", "one\ntwo\n")
        try repo.write("b.id", "$Id$\n")
        try repo.write("dir/sub dir/ü.txt", "unicode\n")
        try repo.write("run.sh", "#!/bin/sh\n")
        try repo.write("bin.dat", data: Data([0, 1, 2, 3, 255]))
        try repo.write("empty", "")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link", withDestinationPath: "dir/sub dir/ü.txt")
        try repo.git("add", "-A")
        try repo.git("update-index", "--chmod=+x", "run.sh")
        try repo.git("commit", "-q", "-m", "files")
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "p")
        let ours = try #require(try WorktreeManager(repositoryRoot: repo.path).create(session: "p", agents: ["a"], base: base.commit).first)
        let reference = repo.path + "-git-worktree"
        try repo.git("worktree", "add", "-q", "--detach", reference, base.commit.hex)
        defer { try? FileManager.default.removeItem(atPath: reference) }

        for path in [".gitattributes", "a.crlf", "b.id", "dir/sub dir/ü.txt", "run.sh", "bin.dat", "empty"] {
            #expect(FileManager.default.contents(atPath: ours.path + "/" + path) == FileManager.default.contents(atPath: reference + "/" + path), "\(path)")
            let mode = { (root: String) in (try? FileManager.default.attributesOfItem(atPath: root + "/" + path)[.posixPermissions] as? Int) ?? -1 }
            #expect(mode(ours.path) == mode(reference), "\(path) mode")
        }
        #expect(FileManager.default.contents(atPath: ours.path + "/a.crlf") == Data("one\r\ntwo\r\n".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: ours.path + "/link") == "dir/sub dir/ü.txt")
        #expect(try GitCLI.run(["status", "--porcelain", "--untracked-files=all"], in: ours.path) == "")
        #expect(try GitCLI.run(["diff", "--stat"], in: ours.path) == "")
        #expect(try GitCLI.run(["ls-files", "--stage"], in: ours.path) == (try GitCLI.run(["ls-files", "--stage"], in: reference)))
        try repo.fsck()
    }
}
