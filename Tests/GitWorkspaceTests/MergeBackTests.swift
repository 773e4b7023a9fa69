import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// A repository with a session: base snapshot, one agent worktree and its first answer.
private struct Scenario {
    let repo: TemporaryRepository
    let base: BaseSnapshot
    let worktree: AgentWorktree
    let winner: ObjectID

    /// `prepare` runs before the snapshot (user state); `work` edits the agent worktree.
    init(prepare: (TemporaryRepository) throws -> Void = { _ in }, work: (String) throws -> Void) throws {
        repo = try TemporaryRepository()
        try repo.write("src/app.txt", "line 1\nline 2\n")
        try repo.write("README", "readme\n")
        try repo.commitAll("initial")
        try prepare(repo)
        base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let manager = WorktreeManager(repositoryRoot: repo.path)
        worktree = try #require(try manager.create(session: "s1", agents: ["a"], base: base.commit).first)
        try work(worktree.path)
        guard case .committed(let commit) = try IterationCommitter.commit(worktree, iteration: 1, summary: "fix") else {
            throw GitWorkspaceError.invalidArgument("agent made no change")
        }
        winner = commit.commit
    }

    func merge(_ mode: MergeMode) throws -> OperationRecord? {
        try MergeBack(repositoryRoot: repo.path).merge(
            winner: winner, winnerBranch: worktree.branch, base: base, mode: mode, message: "Fix the app\n")
    }
}

private func edit(_ root: String, _ path: String, _ content: String) throws {
    let url = URL(fileURLWithPath: root + "/" + path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try content.write(to: url, atomically: true, encoding: .utf8)
}

@Suite struct MergeBackTests {
    @Test func squashCommitsTheChangeOnTheCurrentBranch() throws {
        let s = try Scenario { root in
            try edit(root, "src/app.txt", "line 1\nline 2 fixed\n")
            try edit(root, "src/new.txt", "new\n")
        }
        let record = try #require(try s.merge(.squash))
        #expect(try s.repo.git("log", "-1", "--format=%s%n%P") == "Fix the app\n\(s.base.commit.hex)\n")
        #expect(try s.repo.git("status", "--porcelain") == "")
        #expect(try s.repo.git("diff", "--numstat", "-M", "HEAD~1", "HEAD") == "1\t1\tsrc/app.txt\n1\t0\tsrc/new.txt\n")
        #expect(record.refUpdates.first?.name == "refs/heads/main")
        try s.repo.fsck()

        // Undo restores the branch, index and files exactly.
        let before = try s.repo.git("rev-parse", "HEAD~1")
        try OperationReverter(repositoryRoot: s.repo.path).undo(record)
        #expect(try s.repo.git("rev-parse", "HEAD") == before)
        #expect(try s.repo.git("status", "--porcelain") == "")
        #expect(s.repo.read("src/app.txt") == Data("line 1\nline 2\n".utf8))
        #expect(s.repo.read("src/new.txt") == nil)
        try s.repo.fsck()
    }

    @Test func applyWritesUncommittedChangesAndKeepsTheIndex() throws {
        let s = try Scenario(prepare: { repo in
            try repo.write("README", "user edit\n")
            try repo.write("staged.txt", "staged\n")
            try repo.git("add", "staged.txt")
        }, work: { root in
            try edit(root, "src/app.txt", "agent\n")
        })
        #expect(MergeMode.defaultMode(for: s.base) == .apply)
        let indexBefore = try s.repo.git("ls-files", "--stage")
        let headBefore = try s.repo.git("rev-parse", "HEAD")
        _ = try #require(try s.merge(.apply))
        #expect(try s.repo.git("ls-files", "--stage") == indexBefore)
        #expect(try s.repo.git("rev-parse", "HEAD") == headBefore)
        #expect(s.repo.read("src/app.txt") == Data("agent\n".utf8))
        #expect(s.repo.read("README") == Data("user edit\n".utf8))
        #expect(try s.repo.git("status", "--porcelain") == " M README\n M src/app.txt\nA  staged.txt\n")
    }

    @Test func noFFMakesAMergeCommit() throws {
        let s = try Scenario { root in try edit(root, "src/app.txt", "agent\n") }
        _ = try #require(try s.merge(.noFF))
        let parents = try s.repo.git("log", "-1", "--format=%P").split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(parents == [s.base.commit.hex, s.winner.hex])
        #expect(try s.repo.git("status", "--porcelain") == "")
        try s.repo.fsck()
    }

    @Test func noneLeavesEverythingAlone() throws {
        let s = try Scenario { root in try edit(root, "src/app.txt", "agent\n") }
        let before = try s.repo.userStateSnapshot()
        #expect(try s.merge(.none) == nil)
        #expect(try s.repo.userStateSnapshot() == before)
    }

    @Test func refusesWhenTheBranchMoved() throws {
        let s = try Scenario { root in try edit(root, "src/app.txt", "agent\n") }
        try s.repo.write("other.txt", "user commit\n")
        try s.repo.commitAll("user moved on")
        let before = try s.repo.userStateSnapshot()
        for mode in [MergeMode.squash, .noFF, .apply] {
            #expect {
                _ = try s.merge(mode)
            } throws: { error in
                guard case GitWorkspaceError.mergeRefused(let reason, let hint) = error else { return false }
                return reason.contains("HEAD moved") && hint.contains("git merge --squash massgen/s1/a")
            }
        }
        #expect(try s.repo.userStateSnapshot() == before)
        #expect(try s.repo.git("rev-parse", s.worktree.branch).hasPrefix(s.winner.hex))
    }

    @Test func refusesWhenTheUserEditedATouchedFile() throws {
        let s = try Scenario { root in try edit(root, "src/app.txt", "agent\n") }
        try s.repo.write("src/app.txt", "user edit during the session\n")
        let before = try s.repo.userStateSnapshot()
        #expect {
            _ = try s.merge(.squash)
        } throws: { error in
            guard case GitWorkspaceError.mergeRefused(let reason, _) = error else { return false }
            return reason.contains("src/app.txt")
        }
        #expect(try s.repo.userStateSnapshot() == before)
    }

    @Test func refusesWhenTheUserStagedATouchedFile() throws {
        let s = try Scenario { root in try edit(root, "src/app.txt", "agent\n") }
        try s.repo.write("src/app.txt", "staged\n")
        try s.repo.git("add", "src/app.txt")
        try s.repo.write("src/app.txt", "line 1\nline 2\n")
        let before = try s.repo.userStateSnapshot()
        #expect(throws: GitWorkspaceError.self) { _ = try s.merge(.squash) }
        #expect(try s.repo.userStateSnapshot() == before)
    }

    @Test func undoRefusesWhenTheUserChangedTheMergedFiles() throws {
        let s = try Scenario { root in try edit(root, "src/app.txt", "agent\n") }
        let record = try #require(try s.merge(.squash))
        try s.repo.write("src/app.txt", "user kept working\n")
        #expect {
            try OperationReverter(repositoryRoot: s.repo.path).undo(record)
        } throws: { error in
            guard case GitWorkspaceError.undoRefused(let reason) = error else { return false }
            return reason.contains("src/app.txt")
        }
        #expect(s.repo.read("src/app.txt") == Data("user kept working\n".utf8))
    }

    @Test func squashOntoAnUnbornBranchCreatesTheFirstCommit() throws {
        let repo = try TemporaryRepository()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "u")
        let worktree = try #require(try WorktreeManager(repositoryRoot: repo.path)
            .create(session: "u", agents: ["a"], base: base.commit).first)
        try edit(worktree.path, "hello.txt", "hi\n")
        guard case .committed(let commit) = try IterationCommitter.commit(worktree, iteration: 1, summary: "hello") else {
            Issue.record("no commit")
            return
        }
        _ = try MergeBack(repositoryRoot: repo.path).merge(
            winner: commit.commit, winnerBranch: worktree.branch, base: base, mode: .squash, message: "Add hello\n")
        #expect(try repo.git("log", "--format=%s", "main") == "Add hello\n")
        #expect(try repo.git("status", "--porcelain") == "")
        try repo.fsck()
    }

    @Test func detachedHeadIsMovedInPlace() throws {
        let s = try Scenario(prepare: { repo in
            try repo.git("checkout", "-q", "--detach", "HEAD")
        }, work: { root in try edit(root, "src/app.txt", "agent\n") })
        #expect(s.base.targetRef == "HEAD")
        let mainBefore = try s.repo.git("rev-parse", "main")
        _ = try #require(try s.merge(.squash))
        #expect(try s.repo.git("rev-parse", "main") == mainBefore, "branches stay where they were")
        #expect(try s.repo.git("rev-parse", "HEAD~1") == mainBefore)
        #expect(try s.repo.git("status", "--porcelain") == "")
    }
}
