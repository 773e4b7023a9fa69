import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// `mg undo` of each operation kind against a snapshot of every ref, the worktrees and the
/// user's files: `mg merge` (apply mode: working tree only) and `mg clean`.
@Suite struct UndoCommandTests {
    @Test func mergeAndCleanAreUndoneExactly() throws {
        let fixture = try SessionFixture()
        // Two finished worktrees of an earlier session, unlocked, with committed answers.
        let session = "20260103-000000-undo"
        let head = try Repository.open(at: fixture.path).resolveCommit("HEAD")
        let worktrees = try WorktreeManager(repositoryRoot: fixture.path).create(
            session: session, agents: ["a", "b"], base: head)
        for (worktree, text) in zip(worktrees, ["$1 + $2", "$2 + $1"]) {
            try WorktreeManager(repositoryRoot: fixture.path).unlock(worktree)
            try SessionFixture.calc.replacingOccurrences(of: "$1 - $2", with: text)
                .write(toFile: worktree.path + "/calc.sh", atomically: true, encoding: .utf8)
            _ = try IterationCommitter.commit(worktree, iteration: 1, summary: "answer of \(worktree.agent)")
        }
        let start = try fixture.refsAndWorktrees()
        let startFiles = try fixture.repository.userStateSnapshot()

        // mg merge (apply) → undo: files and index back, byte for byte.
        let merged = try fixture.mg("merge", "a", "--mode", "apply")
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(try fixture.repository.userStateSnapshot() != startFiles)
        let undoMerge = try fixture.mg("undo")
        #expect(undoMerge.status == 0, "\(undoMerge.stderr)")
        #expect(try fixture.repository.userStateSnapshot() == startFiles)
        #expect(try fixture.refsAndWorktrees() == start)

        // mg clean → undo: both worktrees back on their branches, every ref unchanged.
        let clean = try fixture.mg("clean")
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try fixture.refsAndWorktrees() != start)
        #expect(try fixture.mg("undo", "--list").stdout.contains("mg clean: removed 2 worktree(s)"))
        let undoClean = try fixture.mg("undo")
        #expect(undoClean.status == 0, "\(undoClean.stderr)")
        #expect(try fixture.refsAndWorktrees() == start)
        #expect(try String(contentsOfFile: worktrees[1].path + "/calc.sh", encoding: .utf8).contains("$2 + $1"))
        #expect(try fixture.repository.userStateSnapshot() == startFiles)
        #expect(try fixture.mg("undo").stdout.contains("Nothing to undo."))
        _ = try fixture.repository.git("fsck", "--strict", "--no-progress")
    }
}
