import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// Two- and three-turn sessions through `CodingSessionManager` with one scripted agent per turn:
/// what the store holds, where each turn starts, and the restored context the backend receives.
@Suite struct MultiTurnSessionTests {
    typealias F = CalculatorFixture
    let session = "20260102-000000-turn"

    /// One agent that plays `work`, answers `summary`, then votes for itself.
    private func solo(_ work: [ScriptedTurn], _ summary: String) -> (AgentSpec, ScriptedBackend) {
        let backend = ScriptedBackend(
            script: ScriptedScript(turns: work + [Turn.answer(summary)] + Turn.votes("agent1", count: 4)))
        return (AgentSpec(id: "solo", backend: backend, model: "scripted"), backend)
    }

    /// Every text the backend was sent, joined.
    private func sentText(_ backend: ScriptedBackend) -> String {
        backend.receivedRequests.flatMap(\.messages).map(\.text).joined(separator: "\n")
    }

    @Test func threeTurnsRestoreHistoryNormalizePathsAndStartFromTheRightCommit() async throws {
        let repository = try F.repository()
        let root = repository.path
        let manager = try CodingSessionManager.open(repositoryRoot: root)
        let worktreeFile = root + "/.massgen/workspaces/\(session)/solo/calc.sh"

        // Turn 1: fix add(), merged (squash: the tree was clean). The summary names the
        // agent's worktree path, as models do.
        let (agent1, _) = solo([F.correctFix], "Fixed add() in \(worktreeFile): it subtracted.")
        let first = try await manager.start(
            task: "add 2 3 prints -1", agents: [agent1], settings: F.settings(session: session))
        #expect(first.outcome.exitCode == 0)
        #expect(first.session == session)
        let afterFirst = try repository.git("rev-parse", "HEAD").trimmingCharacters(
            in: .whitespacesAndNewlines)

        // Turn 2: receives the history; its own task mentions a worktree path too. Not merged.
        let (agent2, backend2) = solo(
            [Turn.edit("calc.sh", "$1 * $2", "$1 * $2 * 1")], "Made mul() explicit.")
        var keep = F.settings(session: "ignored", mergeMode: MergeMode.none)
        let second = try await manager.continueSession(
            task: "now look at mul() in \(worktreeFile)", agents: [agent2], settings: keep)
        #expect(second.outcome.exitCode == 0)
        #expect(second.turn == 2)
        #expect(second.run == "\(session)-t2")
        let context2 = sentText(backend2)
        #expect(context2.contains("User (turn 1): add 2 3 prints -1"))
        #expect(context2.contains("Winner solo: Fixed add() in calc.sh: it subtracted."))
        #expect(context2.contains("Merged: merge-back (squash)"))
        #expect(context2.contains("now look at mul() in calc.sh"))
        #expect(!context2.contains(".massgen/workspaces"))
        // Nothing landed: HEAD is still turn 1's merge.
        #expect(
            try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
                == afterFirst)

        // Turn 3 starts from turn 2's unmerged winner: its edit only applies to that version.
        let (agent3, backend3) = solo(
            [Turn.edit("calc.sh", "$1 * $2 * 1", "$1 * $2 * 1 * 1")], "Even more explicit mul().")
        keep.mergeMode = MergeMode.none
        let third = try await manager.continueSession(
            session, task: "and once more", agents: [agent3], settings: keep)
        #expect(third.outcome.exitCode == 0)
        #expect(third.outcome.winner == "solo")
        let context3 = sentText(backend3)
        #expect(context3.contains("User (turn 2): now look at mul() in calc.sh"))
        #expect(context3.contains("Winner solo: Made mul() explicit."))
        #expect(context3.contains("Not merged; the change stays on massgen/\(session)-t2/solo."))
        let tip = try repository.git("show", "massgen/\(session)-t3/solo:calc.sh")
        #expect(tip.contains("$1 * $2 * 1 * 1"))

        // The store: one session, three turns, the conversation, the merge in the operation log.
        let turns = try manager.store.turns(of: session)
        #expect(turns.map(\.number) == [1, 2, 3])
        #expect(turns.map(\.task) == ["add 2 3 prints -1", "now look at mul() in calc.sh", "and once more"])
        #expect(turns[0].mergeHow == "merge:squash")
        #expect(turns[0].mergedCommit == afterFirst)
        #expect(turns[1].mergeHow == "none")
        #expect(turns.allSatisfy { $0.status == .finished && $0.winner == "solo" })
        let log = try manager.store.log(of: session)
        #expect(log.turns[0].iterations.first?.insertions == 1)
        #expect(log.turns[0].votes.first?.voter == "solo")
        // The baseline (the base's own run) failed; the answer's run passed.
        #expect(log.turns[0].tests.filter { $0.kind == "baseline" }.map(\.passed) == [false])
        let answerRun = log.turns[0].tests.first { $0.kind == "answer" }
        #expect(answerRun?.passed == true)
        // The test run's duration is recorded (a real process takes more than nothing).
        #expect((answerRun?.durationSeconds ?? 0) > 0)
        #expect(log.operations.count == 1)
        let summary = try #require(try manager.store.listSessions(limit: 10).first)
        #expect(summary.turns == 3)
        #expect(summary.status == .finished)
        // Transcripts per agent and turn, events in one log.
        let folder = SessionFolder(layout: ProjectLayout(repositoryRoot: root), session: session)
        #expect(try folder.readTranscript(agent: "solo.turn2").isEmpty == false)
        let events = try String(contentsOfFile: folder.eventsPath, encoding: .utf8)
        #expect(events.components(separatedBy: "\"event\":\"session_finished\"").count - 1 == 3)
        try repository.fsck()
    }

    @Test func resumeRerunsTheInterruptedTurnFromEachAgentsBranch() async throws {
        let repository = try F.repository()
        let root = repository.path
        let manager = try CodingSessionManager.open(repositoryRoot: root)
        let store = manager.store
        // An interrupted turn as a killed mg leaves it: a session `running` under a dead pid, a
        // locked worktree whose branch has one answer and uncommitted leftovers.
        let worktree = try WorktreeManager(repositoryRoot: root).create(
            session: session, agents: ["solo"], base: try Repository.open(at: root).resolveCommit("HEAD"))[0]
        let dead = try deadProcessID()
        let git = try Repository.open(at: root)
        try git.unlockWorktree(worktree.adminName)
        try git.lockWorktree(
            worktree.adminName, reason: WorktreeManager.lockReason(session: session, agent: "solo", pid: dead)
        )
        try "add() { echo $(($1 + $2)); }\nmul() { echo $(($1 * $2)); }\n".write(
            toFile: worktree.path + "/calc.sh", atomically: true, encoding: .utf8)
        _ = try IterationCommitter.commit(worktree, iteration: 1, summary: "Fixed add().")
        try "notes\n".write(toFile: worktree.path + "/NOTES.txt", atomically: true, encoding: .utf8)
        let base = try repository.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try store.beginSession(
            SessionRecord(id: session, repository: root, task: "fix add", baseCommit: base, pid: dead))
        try store.beginTurn(TurnRecord(session: session, number: 1, task: "fix add", baseCommit: base))
        try store.recordAgent(
            StoredAgent(
                session: session, turn: 1, agent: "solo", anonymousID: "agent1", branch: worktree.branch,
                worktreePath: worktree.path))
        #expect(try store.unfinishedSessions().first?.session.status == .interrupted)

        // Resume: the agent starts from its branch (fix + leftovers) and only has to answer.
        let backend = ScriptedBackend(
            script: ScriptedScript(
                turns: [Turn.answer("Fixed add(), notes kept.")] + Turn.votes("agent1", count: 4)))
        let result = try await manager.resume(
            agents: [AgentSpec(id: "solo", backend: backend, model: "scripted")],
            settings: F.settings(session: "x"))
        #expect(result.outcome.exitCode == 0)
        #expect(result.turn == 2)
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        #expect(try repository.git("show", "HEAD:NOTES.txt") == "notes\n")
        #expect(sentText(backend).contains("fix add"))
        // The old worktree is gone, its removal logged (undoable); the session is finished.
        #expect(!FileManager.default.fileExists(atPath: worktree.path))
        let kinds = try store.operations().map(\.kind)
        #expect(kinds.contains("worktrees-removed"))
        #expect(try store.turns(of: session).map(\.status) == [.interrupted, .finished])
        #expect(try store.unfinishedSessions().isEmpty)
        try repository.fsck()
    }
}
