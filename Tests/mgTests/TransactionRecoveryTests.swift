import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// Every mutation is one transaction: faults injected into its journal and its rollback, and
/// SIGKILL inside each step of a hand merge, an undo and a clean — through the built `mg`, with
/// git and the store checked after each.
@Suite struct TransactionRecoveryTests {
    private static let fixed = SessionFixture.calc.replacingOccurrences(of: "$1 - $2", with: "$1 + $2")

    /// A fixture whose session left its (correct) answer on `massgen/<session>/fixer`, unmerged.
    private func unmergedAnswer() throws -> (SessionFixture, String) {
        let fixture = try SessionFixture()
        let config = try fixture.config("keep", edit: "$1 - $2", "$1 + $2", summary: "Fixed add().", merge: "none")
        let run = try fixture.mg("fix", "add 2 3 prints -1", "--config", config, "-q")
        #expect(run.status == 0, "\(run.stderr)")
        let store = try SessionStore(path: fixture.path + "/.massgen/sessions/mg.sqlite")
        defer { store.close() }
        let session = try #require(try store.listSessions(limit: 1).first?.id)
        return (fixture, session)
    }

    private func calc(_ fixture: SessionFixture) throws -> String {
        try String(contentsOfFile: fixture.path + "/calc.sh", encoding: .utf8)
    }

    /// git and the store are sound.
    private func sound(_ fixture: SessionFixture) throws {
        _ = try fixture.repository.git("fsck", "--strict", "--no-progress")
        let store = try SessionStore(path: fixture.path + "/.massgen/sessions/mg.sqlite")
        defer { store.close() }
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func aJournalThatCannotBeWrittenChangesNothing() throws {
        let (fixture, session) = try unmergedAnswer()
        let before = try fixture.repository.userStateSnapshot()
        let merge = try fixture.mg("merge", "fixer", "--session", session, env: ["MG_FAULT_POINT": "fail:journal-begin"])
        #expect(merge.status == 70, "\(merge.stderr)")
        #expect(merge.stderr.contains("mg could not log the operation before changing anything"), "\(merge.stderr)")
        #expect(try fixture.repository.userStateSnapshot() == before)
        #expect(try fixture.mg("undo", "--list").stdout.contains("Nothing to undo."))

        // The automatic merge-back refuses the same way: the winner stays on its branch (exit 2).
        let fresh = try SessionFixture()
        let state = try fresh.repository.userStateSnapshot()
        let config = try fresh.config("fix", edit: "$1 - $2", "$1 + $2", summary: "Fixed add().")
        let fix = try fresh.mg("fix", "add 2 3 prints -1", "--config", config, env: ["MG_FAULT_POINT": "fail:journal-begin"])
        #expect(fix.status == 2, "\(fix.stdout)\n\(fix.stderr)")
        #expect(fix.stdout.contains("mg could not log the operation"), "\(fix.stdout)")
        #expect(try fresh.repository.userStateSnapshot() == state)
        try sound(fresh)
    }

    @Test func aFailedRollbackIsKeptReportedAndRepairedByUndo() throws {
        let (fixture, session) = try unmergedAnswer()
        let before = try fixture.repository.userStateSnapshot()
        // The branch update fails after calc.sh was written, and putting calc.sh back fails too.
        let merge = try fixture.mg(
            "merge", "fixer", "--session", session, env: ["MG_FAULT_POINT": "fail:apply-ref,fail:rollback-file"])
        #expect(merge.status == 70, "\(merge.stderr)")
        #expect(merge.stderr.contains("could not be rolled back completely"), "\(merge.stderr)")
        #expect(merge.stderr.contains("calc.sh") && merge.stderr.contains("mg undo"))
        #expect(try calc(fixture) == Self.fixed, "the half-applied change is on disk")

        let status = try fixture.mg("status")
        #expect(status.stdout.contains("did not finish: merge-back (squash)"), "\(status.stdout)")
        #expect(status.stdout.contains("could not be rolled back completely") && status.stdout.contains("repair: mg undo"))
        let undo = try fixture.mg("undo")
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(undo.stdout.contains("Repaired: merge-back (squash)"), "\(undo.stdout)")
        #expect(try fixture.repository.userStateSnapshot() == before)
        #expect(!(try fixture.mg("status").stdout.contains("did not finish")))
        try sound(fixture)
    }

    @Test(arguments: ["after-journal-begin", "after-apply-files"])
    func aHandMergeKilledMidWayIsRepairedByUndo(point: String) throws {
        let (fixture, session) = try unmergedAnswer()
        let before = try fixture.repository.userStateSnapshot()
        let merge = try fixture.mg("merge", "fixer", "--session", session, env: ["MG_FAULT_POINT": point])
        #expect(merge.status == SIGKILL, "\(point): \(merge.stderr)")
        try sound(fixture)
        #expect(try fixture.mg("status").stdout.contains("did not finish: merge-back (squash)"), "\(point)")
        let undo = try fixture.mg("undo")
        #expect(undo.status == 0, "\(point): \(undo.stderr)")
        #expect(try fixture.repository.userStateSnapshot() == before, "\(point)")
        // Nothing lost: the answer is still on its branch, and landing it now works.
        #expect(try fixture.mg("merge", "fixer", "--session", session).status == 0)
        #expect(try fixture.repository.git("show", "HEAD:calc.sh") == Self.fixed)
        try sound(fixture)
    }

    @Test func anUndoKilledMidWayIsFinishedByTheNextUndo() throws {
        let (fixture, session) = try unmergedAnswer()
        let before = try fixture.repository.userStateSnapshot()
        #expect(try fixture.mg("merge", "fixer", "--session", session).status == 0)
        let undo = try fixture.mg("undo", env: ["MG_FAULT_POINT": "after-apply-files"])
        #expect(undo.status == SIGKILL, "\(undo.stderr)")
        try sound(fixture)
        #expect(try fixture.mg("status").stdout.contains("mg stopped while it was being undone"))
        let again = try fixture.mg("undo")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try fixture.repository.userStateSnapshot() == before)
        #expect(try fixture.mg("undo", "--list").stdout.contains("Nothing to undo."))
    }

    @Test func aCleanKilledMidWayKeepsEveryWorktreesWorkAndIsUndone() throws {
        // Two sessions kept their worktrees (cleanup: keep is what `--merge none` does not do;
        // an interrupted session leaves them), so build them with a killed session each.
        let fixture = try SessionFixture()
        let config = try fixture.config("fix", edit: "$1 - $2", "$1 + $2", summary: "Fixed add().")
        for _ in 0..<2 {
            let run = try fixture.mg("fix", "add 2 3 prints -1", "--config", config, "-q", env: ["MG_FAULT_POINT": "after-iteration-record"])
            #expect(run.status == SIGKILL)
        }
        let refsBefore = try fixture.refsAndWorktrees()
        let clean = try fixture.mg("clean", env: ["MG_FAULT_POINT": "after-worktree-removed"])
        #expect(clean.status == SIGKILL, "\(clean.stderr)")
        try sound(fixture)
        #expect(try fixture.mg("status").stdout.contains("did not finish: mg clean"))
        let undo = try fixture.mg("undo")
        #expect(undo.status == 0, "\(undo.stderr)")
        // Every worktree is back on its branch, with the same refs; the lock a dead process held
        // on the one that was removed is not re-created.
        func unlocked(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("locked ") }
                .joined(separator: "\n")
        }
        let refsAfter = try fixture.refsAndWorktrees()
        #expect(unlocked(refsAfter) == unlocked(refsBefore), "\(refsBefore)\n---\n\(refsAfter)")
        try sound(fixture)
    }
}
