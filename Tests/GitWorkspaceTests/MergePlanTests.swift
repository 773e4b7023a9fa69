import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// A merge in two steps — `plan` (checks + commit object, nothing the user can see changes),
/// then `apply` — so its record can be logged first; and `undo` of a record whose merge never
/// landed changes nothing and says so.
@Suite struct MergePlanTests {
    private func session() throws -> (TemporaryRepository, BaseSnapshot, AgentWorktree, ObjectID) {
        let repo = try TemporaryRepository()
        try repo.write("src/app.txt", "line 1\nline 2\n")
        try repo.commitAll("initial")
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let worktree = try #require(
            try WorktreeManager(repositoryRoot: repo.path).create(session: "s1", agents: ["a"], base: base.commit).first)
        try "line 1\nline 2 fixed\n".write(toFile: worktree.path + "/src/app.txt", atomically: true, encoding: .utf8)
        guard case .committed(let commit) = try IterationCommitter.commit(worktree, iteration: 1, summary: "fix") else {
            throw GitWorkspaceError.invalidArgument("agent made no change")
        }
        return (repo, base, worktree, commit.commit)
    }

    @Test(arguments: [MergeMode.squash, .apply])
    func planChangesNothingApplyLandsIt(_ mode: MergeMode) throws {
        let (repo, base, worktree, winner) = try session()
        let before = try repo.userStateSnapshot()
        let head = try repo.git("rev-parse", "HEAD")
        let merge = MergeBack(repositoryRoot: repo.path)
        let record = try #require(
            try merge.plan(winner: winner, winnerBranch: worktree.branch, base: base, mode: mode, message: "Fix\n"))

        #expect(try repo.userStateSnapshot() == before)
        #expect(try repo.git("rev-parse", "HEAD") == head)
        #expect(try repo.git("status", "--porcelain") == "")
        // Never landed: undo changes nothing and says so.
        #expect(try OperationReverter(repositoryRoot: repo.path).undo(record) == .neverLanded)
        #expect(try repo.userStateSnapshot() == before)

        try merge.apply(record, winnerBranch: worktree.branch, base: base)
        #expect(try String(contentsOfFile: repo.path + "/src/app.txt", encoding: .utf8) == "line 1\nline 2 fixed\n")
        if mode == .squash {
            #expect(try repo.git("rev-parse", "HEAD~1") == head)
        } else {
            #expect(try repo.git("status", "--porcelain") == " M src/app.txt\n")
        }
        #expect(try OperationReverter(repositoryRoot: repo.path).undo(record) == .reverted)
        #expect(try repo.userStateSnapshot() == before)
        #expect(try repo.git("rev-parse", "HEAD") == head)
        try repo.fsck()
    }

    @Test func applyRefusesWhenSomethingMovedAfterThePlan() throws {
        let (repo, base, worktree, winner) = try session()
        let merge = MergeBack(repositoryRoot: repo.path)
        let record = try #require(
            try merge.plan(winner: winner, winnerBranch: worktree.branch, base: base, mode: .squash, message: "Fix\n"))
        try "my own edit\n".write(toFile: repo.path + "/src/app.txt", atomically: true, encoding: .utf8)
        let before = try repo.userStateSnapshot()
        #expect(throws: GitWorkspaceError.self) { try merge.apply(record, winnerBranch: worktree.branch, base: base) }
        #expect(try repo.userStateSnapshot() == before)
        // Neither landed nor as before: undo refuses rather than guess.
        #expect(throws: GitWorkspaceError.self) { try OperationReverter(repositoryRoot: repo.path).undo(record) }
    }
}
