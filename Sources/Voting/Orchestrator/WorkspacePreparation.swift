import CodingAgent
import Foundation
import GitWorkspace

/// The agents' worktrees, prepared in the background while their first model calls run.
///
/// A model needs no files to start thinking, only its tools do, so the orchestrator starts the
/// agents right after the base snapshot and lets each agent's first tool call await its
/// worktree (`ToolContextSource.awaiting`). On a large repository that hides the checkout of N
/// worktrees behind the first model call; on a small one it takes setup off the critical path.
///
/// When preparation fails, the round ends at once (the agents are cancelled before any tool
/// runs), half-made worktrees are rolled back by `WorktreeManager`, and the orchestrator throws
/// the error as before: the session could not start, the user's repository is unchanged.
struct WorkspacePreparation: Sendable {
    private let task: Task<Result<[ToolContext], OrchestratorError>, Never>

    /// Starts creating the worktrees (and re-applying resumed agents' earlier work).
    static func start(
        root: String, session: String, base: BaseSnapshot, worktrees: [AgentWorktree],
        startCommits: [String: ObjectID], protection: ProtectedPaths, contextRoots: [[ContextRoot]] = [],
        events: SessionEvents, warn: @escaping @Sendable (String) -> Void
    ) -> WorkspacePreparation {
        let task = Task { () -> Result<[ToolContext], OrchestratorError> in
            let result = await prepare(
                root: root, session: session, base: base, worktrees: worktrees, startCommits: startCommits,
                protection: protection, contextRoots: contextRoots, warn: warn)
            if case .failure(let error) = result {
                await events.emit(.error) { $0.message = "Preparing the agent worktrees failed: \(error)" }
            }
            return result
        }
        return WorkspacePreparation(task: task)
    }

    /// The tool context of agent `index`, available once every worktree exists.
    func context(for index: Int) -> ToolContextSource {
        let task = self.task
        return .awaiting { try await task.value.get()[index] }
    }

    /// Waits for preparation to finish.
    var result: Result<[ToolContext], OrchestratorError> {
        get async { await task.value }
    }

    private static func prepare(
        root: String, session: String, base: BaseSnapshot, worktrees: [AgentWorktree],
        startCommits: [String: ObjectID], protection: ProtectedPaths, contextRoots: [[ContextRoot]],
        warn: @escaping @Sendable (String) -> Void
    ) async -> Result<[ToolContext], OrchestratorError> {
        do {
            _ = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try WorktreeManager(repositoryRoot: root).create(
                    session: session, agents: worktrees.map(\.agent), base: base.commit)
            }
            for worktree in worktrees {
                guard let start = startCommits[worktree.agent] else { continue }
                // The earlier work appears as uncommitted changes on the base, so the agent's next
                // `new_answer` commits it as its answer (the branch itself stays at the base).
                try await BlockingWork.run { () throws(GitWorkspaceError) in
                    let repository = try Repository.open(at: worktree.path)
                    let changes = try repository.pathChanges(from: base.tree, to: repository.tree(ofCommit: start))
                    let plan = WorktreeReset.Plan(
                        savedWork: nil, oldTip: base.commit, newTip: base.commit, changes: changes)
                    try WorktreeReset.apply(plan, in: worktree)
                }
            }
        } catch {
            return .failure(.git(error))
        }
        var contexts: [ToolContext] = []
        for (index, worktree) in worktrees.enumerated() {
            do {
                contexts.append(
                    .gitAware(
                        workspace: try WorkspaceRoot(worktree.path), protection: protection,
                        contextRoots: index < contextRoots.count ? contextRoots[index] : [], warn: warn))
            } catch {
                return .failure(.invalidAgents("The worktree of \(worktree.agent) is unusable: \(error)"))
            }
        }
        return .success(contexts)
    }
}
