import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// `mg fix` SIGKILLed at several points (the store's fault points, `MG_FAULT_POINT`): the
/// repository and the store stay sound, the user's files are untouched (or exactly merged once
/// the merge landed), `mg status` reports the session as interrupted, and it can be resumed or
/// discarded with nothing lost.
@Suite struct CrashRecoveryTests {
    /// Kills `mg fix` at `point`; checks everything a crash must not break. Returns the fixture.
    private func crash(at point: String, mergeLanded: Bool = false) throws -> (SessionFixture, String) {
        let fixture = try SessionFixture()
        let before = try fixture.repository.userStateSnapshot()
        let config = try fixture.config("fix", edit: "$1 - $2", "$1 + $2", summary: "Fixed add().")
        let run = try fixture.mg("fix", "add 2 3 prints -1", "--config", config, "-q", env: ["MG_FAULT_POINT": point])
        #expect(run.status == SIGKILL, "\(point): mg was not killed: \(run.stderr)")

        _ = try fixture.repository.git("fsck", "--strict", "--no-progress")
        let store = try SessionStore(path: fixture.path + "/.massgen/sessions/mg.sqlite")
        #expect(try store.integrityCheck() == ["ok"], "\(point)")
        let after = try fixture.repository.userStateSnapshot()
        if mergeLanded {
            #expect(after.files["calc.sh"] == Data(SessionFixture.calc.replacingOccurrences(of: "$1 - $2", with: "$1 + $2").utf8) + Data("|mode:false".utf8))
        } else {
            #expect(after == before, "\(point): the user's state changed")
        }
        let session = try #require(try store.listSessions(limit: 1).first?.id, "\(point): no session recorded")
        store.close()
        let status = try fixture.mg("status")
        #expect(status.stdout.contains("\(session)  interrupted"), "\(point): \(status.stdout)")
        return (fixture, session)
    }

    @Test func killedBeforeTheWorktreesExistLeavesAnInterruptedSession() throws {
        _ = try crash(at: "after-turn-begin")
    }

    @Test func killedAfterAnAnswerCanBeResumedWithTheAgentsWork() throws {
        let (fixture, session) = try crash(at: "after-iteration-record")
        #expect(try fixture.mg("status").stdout.contains("branch massgen/\(session)/fixer"))
        // Resume: the agent starts with its committed work; the script's edit no longer applies
        // (the file already has it), its answer carries the earlier work, and it lands.
        let config = fixture.configFolder + "/fix.yaml"
        let resumed = try fixture.mg("continue", "--resume", "--config", config, "-q")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        #expect(try fixture.mg("status").stdout.contains("No running or interrupted sessions."))
        _ = try fixture.repository.git("fsck", "--strict", "--no-progress")
    }

    @Test func killedJustBeforeTheMergeCanBeDiscarded() throws {
        let (fixture, session) = try crash(at: "after-merge-note")
        let clean = try fixture.mg("clean", "--session", session)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(try fixture.mg("status").stdout.contains("No running or interrupted sessions."))
        // Nothing lost: the branch keeps the answer; the worktree is gone; `mg undo` brings it back.
        #expect(try fixture.repository.git("show", "massgen/\(session)/fixer:calc.sh").contains("$1 + $2"))
        let worktree = fixture.path + "/.massgen/workspaces/\(session)/fixer"
        #expect(!FileManager.default.fileExists(atPath: worktree))
        #expect(try fixture.mg("undo").status == 0)
        #expect(FileManager.default.fileExists(atPath: worktree + "/calc.sh"))
    }

    @Test func killedAfterTheMergeLandedKeepsAnUndoableMerge() throws {
        let (fixture, _) = try crash(at: "after-merge-landed", mergeLanded: true)
        #expect(try fixture.mg("undo", "--list").stdout.contains("merge-back (squash)"))
        #expect(try fixture.mg("undo").status == 0)
        #expect(try String(contentsOfFile: fixture.path + "/calc.sh", encoding: .utf8) == SessionFixture.calc)
    }

    @Test func killedBetweenLoggingAndCarryingOutTheMergeIsRecognisedByUndo() throws {
        // The operation is logged before the merge is carried out; mg dies in between.
        let (fixture, session) = try crash(at: "after-operation-record")
        let list = try fixture.mg("undo", "--list").stdout
        #expect(list.contains("merge-back (squash)") && list.contains("← next: never landed"), "\(list)")
        let before = try fixture.repository.userStateSnapshot()
        let undo = try fixture.mg("undo")
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(undo.stdout.contains("Nothing to revert for merge-back (squash)"), "\(undo.stdout)")
        #expect(try fixture.repository.userStateSnapshot() == before)
        #expect(try fixture.mg("undo").stdout.contains("Nothing to undo."))
        // The answer is still on its branch, ready to merge by hand or with `mg merge`.
        #expect(try fixture.repository.git("show", "massgen/\(session)/fixer:calc.sh").contains("$1 + $2"))
    }
}
