import Foundation
import MGTestSupport
import Testing

/// Reviewing past sessions from the shell: diffs and logs by agent and run id, why an agent
/// failed, an undo blocked by a newer change, and pruning the branches that hold nothing.
@Suite struct ReviewingSessionsTests {
    private static let readme = #"{"tool_calls": [{"name": "write_file", "arguments": {"path": "README.md", "content": "A calculator that adds.\n"}}]}"#

    @Test func diffAndLogFindTheLatestAndTheRunAndSayWhyAnAgentFailed() throws {
        let fixture = try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForAgent1]),
            ("mute", []),
        ])
        #expect(try fixture.mg(["fix", "fix add", "--test", "sh test.sh", "--merge", "none"]).status == 0)
        #expect(try fixture.mg(["fix", "fix add again", "--test", "sh test.sh", "--merge", "none"]).status == 0)
        // "fixer" has a branch in both sessions: diff shows the latest instead of refusing.
        let diff = try fixture.mg(["diff", "fixer"])
        #expect(diff.status == 0 && diff.stdout.contains("+add() { echo $(($1 + $2)); }"), "\(diff.stderr)")
        let log = try fixture.mg(["log"])
        #expect(log.stdout.contains("agent mute") && log.stdout.contains("failed: "), "\(log.stdout)")
        // A later turn's run id names its session.
        let session = try #require(try fixture.agentBranches().last?.split(separator: "/").dropFirst().first.map(String.init))
        #expect(try fixture.mg(["continue", "and once more", "--test", "sh test.sh", "--merge", "none"]).status == 0)
        let turn = try fixture.mg(["log", "\(session)-t2"])
        #expect(turn.status == 0 && turn.stdout.contains("turn 2"), "\(turn.stderr)")
    }

    @Test func anUndoBlockedByANewerChangeCanBeSkipped() throws {
        let fixture = try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForAgent1])
        ])
        #expect(try fixture.mg(["fix", "fix add", "--test", "sh test.sh"]).status == 0)
        let second = FixFixture.script(Self.readme, answer: "Describe it.")
        try fixture.repository.write(".massgen/fixer.json", second)
        // With your untracked notes around, the second answer lands as uncommitted edits (apply).
        try fixture.repository.write("notes.txt", "mine\n")
        #expect(try fixture.mg(["fix", "describe it", "--test", "sh test.sh"]).status == 0)
        try fixture.repository.write("README.md", "edited by hand\n")
        let refused = try fixture.mg(["undo"])
        #expect(refused.status == 1 && refused.stderr.contains("`mg undo --skip` leaves operation #"), "\(refused.stderr)")
        let skip = try fixture.mg(["undo", "--skip"])
        #expect(skip.status == 0 && skip.stdout.contains("stays as it is"))
        let undo = try fixture.mg(["undo"])
        #expect(undo.status == 0, "\(undo.stderr)")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh") == FixFixture.buggy)
        #expect(fixture.repository.read("README.md") == Data("edited by hand\n".utf8), "your edit is kept")
    }

    @Test func cleanBranchesDeletesOnlyWhatHoldsNothingUnmergedAndUndoRestoresIt() throws {
        let fixture = try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForAgent1]),
            ("other", [FixFixture.wrongFix, FixFixture.answer("Multiply."), FixFixture.voteForAgent1]),
            ("mute", []),
        ])
        #expect(try fixture.mg(["fix", "fix add", "--test", "sh test.sh"]).status == 0)
        let before = try fixture.repository.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/massgen/")
        let clean = try fixture.mg(["clean", "--branches", "--json"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stderr.contains("Deleted 2 branch(es) (`mg undo` restores the deleted ones); kept 1 that hold unmerged work."), "\(clean.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(clean.stdout.utf8)) as? [String: Any])
        let deleted = try #require(object["branches_deleted"] as? [[String: String]])
        #expect(Set(deleted.compactMap { $0["branch"]?.split(separator: "/").last.map(String.init) }) == ["fixer", "mute"])
        #expect(object["branches_kept"] as? Int == 1)
        let left = try fixture.agentBranches()
        #expect(left.count == 1 && left.first?.hasSuffix("/other") == true, "the unmerged answer stays: \(left)")
        #expect(try fixture.mg(["undo"]).status == 0)
        #expect(try fixture.repository.git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads/massgen/") == before)
    }
}
