import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// History that matches the repository: undone merges are marked in what agents and `mg log`
/// see, turns that stayed on their branches land with the turn built on them, and an
/// interrupted turn is reported with its own task.
@Suite struct SessionHistoryTests {
    typealias F = CalculatorFixture

    private func solo(_ work: [ScriptedTurn], _ summary: String) -> (AgentSpec, ScriptedBackend) {
        let backend = ScriptedBackend(
            script: ScriptedScript(turns: work + [Turn.answer(summary)] + Turn.votes("agent1", count: 4)))
        return (AgentSpec(id: "solo", backend: backend, model: "scripted"), backend)
    }

    @Test func anUndoneMergeIsMarkedUndoneForTheNextTurnAndInTheLog() async throws {
        let repository = try F.repository()
        let manager = try CodingSessionManager.open(repositoryRoot: repository.path)
        let (first, _) = solo([F.correctFix], "Fixed add().")
        let turn1 = try await manager.start(task: "fix add", agents: [first], settings: F.settings(session: "s-undo"))
        #expect(turn1.outcome.operation != nil)
        guard case .reverted = try MGRepository(root: repository.path, store: manager.store).undo() else {
            Issue.record("the merge should be undone")
            return
        }
        #expect(try repository.git("show", "HEAD:calc.sh") == F.buggy)
        let (second, backend) = solo([Turn.edit("README.md", "A calculator.", "A calculator!")], "README.")
        _ = try await manager.continueSession(task: "touch the README", agents: [second], settings: F.settings(session: "x"))
        let sent = backend.receivedRequests.flatMap(\.messages).map(\.text).joined(separator: "\n")
        #expect(sent.contains("(Undone since with `mg undo`: the repository no longer holds turn 1's change.)"))
        // The turn started from the user's state, which no longer has the fix.
        #expect(try repository.git("show", "HEAD:calc.sh") == F.buggy)
        let log = try manager.store.log(of: "s-undo").rendered()
        #expect(log.contains("merge: merge:squash") && log.contains("(undone)"), "\(log)")
    }

    @Test func turnsKeptOnTheirBranchesLandWithTheTurnBuiltOnThem() async throws {
        let repository = try F.repository()
        let manager = try CodingSessionManager.open(repositoryRoot: repository.path)
        let head = try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let (first, _) = solo([F.correctFix], "Fixed add().")
        _ = try await manager.start(
            task: "fix add", agents: [first], settings: F.settings(session: "s-chain", mergeMode: MergeMode.none))
        #expect(try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == head)
        let (second, _) = solo([Turn.edit("calc.sh", "$1 * $2", "$2 * $1")], "Commute mul().")
        let turn2 = try await manager.continueSession(task: "tidy mul", agents: [second], settings: F.settings(session: "x"))
        #expect(turn2.outcome.exitCode == 0)
        #expect(turn2.outcome.carriedTurns == [1])
        // One squash commit on the old HEAD holds both turns' changes.
        #expect(try repository.git("rev-parse", "HEAD~1").trimmingCharacters(in: .whitespacesAndNewlines) == head)
        let landed = try repository.git("show", "HEAD:calc.sh")
        #expect(landed.contains("$1 + $2") && landed.contains("$2 * $1"), "\(landed)")
        _ = try repository.fsck()
    }

    @Test func anInterruptedLaterTurnIsReportedWithItsOwnTask() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        try store.beginSession(SessionRecord(id: "s1", repository: folder.path, task: "first task", pid: 999_999))
        try store.beginTurn(TurnRecord(session: "s1", number: 1, task: "first task"))
        try store.finishTurn(session: "s1", turn: 1, status: .finished)
        try store.beginTurn(TurnRecord(session: "s1", number: 2, task: "the second task"))
        let unfinished = try #require(try store.unfinishedSessions(isAlive: { _ in false }).first)
        #expect(unfinished.turn == 2 && unfinished.turnTask == "the second task")
    }
}
