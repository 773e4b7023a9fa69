import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// Agents start thinking while their worktrees are made; when the worktrees cannot be made the
/// session must still end as "could not start": no tool ran, nothing committed, nothing lost.
@Suite struct WorkspacePreparationTests {
    typealias F = CalculatorFixture
    let session = "20260101-000000-prep"

    @Test func worktreesThatCannotBeMadeEndTheSessionBeforeAnyToolRuns() async throws {
        let repository = try F.repository()
        try repository.write("README.md", "A calculator with my uncommitted notes.\n")
        try repository.write("notes.txt", "untracked\n")
        // The second agent's folder is occupied, so libgit2 refuses to make its worktree.
        try repository.write(".massgen/workspaces/\(session)/second/occupied.txt", "mine\n")
        let before = try repository.userStateSnapshot()
        let sink = CollectingEventSink()
        let recorder = InMemorySessionRecorder()
        let agents = [
            F.agent("first", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1")),
            F.agent("second", [F.wrongFix, Turn.answer("Make add() multiply.")] + Turn.votes("agent1")),
        ]

        await #expect(throws: OrchestratorError.self) {
            _ = try await CodingOrchestrator().run(
                task: "fix add", repositoryRoot: repository.path, agents: agents,
                settings: F.settings(session: session), events: sink, recorder: recorder)
        }

        let errors = await sink.events(of: .error).compactMap(\.message)
        #expect(errors.contains { $0.hasPrefix("Preparing the agent worktrees failed") })
        #expect(await sink.events(of: .answer).isEmpty)
        let accepted = await recorder.changes.filter {
            if case .answerAccepted = $0 { return true }
            return false
        }
        #expect(accepted.isEmpty)
        #expect(await sink.events(of: .merged).isEmpty)
        // The half-made worktrees and their branches are gone; the user's files are untouched.
        #expect(try repository.git("branch", "--list", "massgen/*").isEmpty)
        #expect(!(try repository.git("worktree", "list")).contains("workspaces/\(session)/first"))
        #expect(try repository.userStateSnapshot() == before)
        #expect(
            try String(contentsOfFile: repository.path + "/.massgen/workspaces/\(session)/second/occupied.txt", encoding: .utf8)
                == "mine\n")
        try repository.fsck()
    }
}
