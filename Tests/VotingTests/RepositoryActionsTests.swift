import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// The use cases below the CLI, called directly: a hand merge, a clean, the interrupted-session
/// cleaner — each a journalled transaction, checked with the git CLI and the store.
@Suite struct RepositoryActionsTests {
    typealias F = CalculatorFixture

    /// A repository whose session kept its worktrees and left two answers unmerged: `fixer`
    /// (right) and `guesser` (wrong, excluded by the gate).
    private func session() async throws -> (TemporaryRepository, MGRepository, String) {
        let repository = try F.repository()
        let manager = try CodingSessionManager.open(repositoryRoot: repository.path)
        var settings = F.settings(session: "20260104-000000-acts", mergeMode: MergeMode.none)
        settings.worktreeCleanup = .keep
        let agents = [
            F.agent("fixer", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1")),
            F.agent("guesser", [F.wrongFix, Turn.answer("Multiply.")] + Turn.votes("agent1")),
        ]
        let turn = try await manager.start(task: "fix add", agents: agents, settings: settings)
        #expect(turn.outcome.winner == "fixer")
        return (repository, MGRepository(root: repository.path, store: manager.store), turn.session)
    }

    @Test func aHandMergeIsOneJournalledTransactionWithTheMergeTrailers() async throws {
        let (repository, actions, session) = try await session()
        let excluded = try actions.merge(agent: "guesser", session: session, mode: .squash, via: "mg merge")
        #expect(excluded.failedGate?.rule.hasPrefix("fixes none of the tests") == true)
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 * $2"))
        let trailers = try repository.git("log", "-1", "--format=%(trailers:only)")
        #expect(trailers == "Mg-Session: \(session)\nMg-Agent: guesser\nMg-Merged-By: mg merge\n\n")
        let logged = try #require(try actions.store.operations().first)
        #expect(logged.state == .done && logged.summary.hasPrefix("merge-back (squash)") && logged.session == session)
        // Undone exactly, then the right answer lands.
        guard case .reverted = try actions.undo() else {
            Issue.record("the merge should be reverted")
            return
        }
        #expect(try repository.git("show", "HEAD:calc.sh") == F.buggy)
        let fixed = try actions.merge(agent: "fixer", session: nil, mode: nil, via: "mg chat")
        #expect(fixed.failedGate == nil && fixed.operation != nil)
        #expect(try repository.git("log", "-1", "--format=%(trailers:key=Mg-Merged-By,valueonly)") == "mg chat\n\n")
        _ = try repository.fsck()
    }

    @Test func cleanRemovesWorktreesKeepsBranchesAndIsUndoable() async throws {
        let (repository, actions, session) = try await session()
        #expect(try repository.git("worktree", "list").split(separator: "\n").count == 3)
        // An uncommitted leftover in one worktree is committed to its branch, never lost.
        let leftover = repository.path + "/.massgen/workspaces/\(session)/fixer/NOTES.txt"
        try "notes\n".write(toFile: leftover, atomically: true, encoding: .utf8)
        let report = try await actions.clean(session: session)
        #expect(report.removed.map(\.agent).sorted() == ["fixer", "guesser"] && report.kept.isEmpty)
        #expect(report.leftovers[repository.path + "/.massgen/workspaces/\(session)/fixer"] != nil)
        #expect(try repository.git("worktree", "list").split(separator: "\n").count == 1)
        #expect(try repository.git("show", "massgen/\(session)/fixer:NOTES.txt") == "notes\n")
        guard case .reverted = try actions.undo() else {
            Issue.record("the clean should be undone")
            return
        }
        #expect(try repository.git("worktree", "list").split(separator: "\n").count == 3)
        _ = try repository.fsck()
    }

    @Test func theCleanerUnlocksWorktreesOfDeadProcessesAndKeepsLiveOnes() throws {
        let repository = try F.repository()
        let base = try BaseSnapshot.capture(repositoryPath: repository.path, session: "s9")
        let worktrees = try WorktreeManager(repositoryRoot: repository.path).create(
            session: "s9", agents: ["dead", "live"], base: base.commit)
        // "dead" was locked by a process that is gone; "live" stays locked by this one.
        _ = try repository.git("worktree", "unlock", worktrees[0].path)
        _ = try repository.git("worktree", "lock", "--reason", "mg session s9 agent dead (pid 999999)", worktrees[0].path)
        let store = try SessionStore.open(layout: ProjectLayout(repositoryRoot: repository.path))
        let lock = try RepositoryLock(layout: ProjectLayout(repositoryRoot: repository.path), purpose: "test")
        let report = try WorktreeCleaner(root: repository.path, store: store).remove(
            worktrees, session: nil, summary: "test clean", lock: lock)
        #expect(report.removed.map(\.agent) == ["dead"])
        #expect(report.kept[worktrees[1].path]?.contains("locked by the running process \(getpid())") == true)
        let porcelain = try repository.git("worktree", "list", "--porcelain")
        #expect(!porcelain.contains(worktrees[0].path) && porcelain.contains(worktrees[1].path))
        let logged = try #require(try store.operations().first)
        #expect(logged.record.removedWorktrees.map(\.agent) == ["dead"] && logged.state == .done)
    }
}
