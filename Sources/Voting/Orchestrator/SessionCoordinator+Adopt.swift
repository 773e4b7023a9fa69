import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// `adopt_answer(agent_id)`: saves the agent's unfinished work on its branch, then resets its
    /// worktree and branch to the files of another agent's latest answer (a new commit on its own
    /// branch with that answer's tree, so its history stays linear and nothing is lost).
    public func adoptAnswer(_ agent: Int, target: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        guard let source = state.index(anonymous: target), let answer = answers[source] else {
            let choices = currentAnswers.map(\.anonymousID).joined(separator: ", ")
            return .failure(
                "\"\(target)\" has no answer to start from. Answers: \(choices.isEmpty ? "none yet" : choices)."
            )
        }
        if source == agent { return .failure("That is your own answer; your worktree already builds on it.") }
        let worktree = setup.worktrees[agent]
        let sourceCommit = answer.commit
        let message =
            "mg: \(id) starts over from \(target)'s answer \(answer.iteration)\n\nMg-Session: \(setup.session)\nMg-Agent: \(id)\nMg-Adopted: \(sourceCommit.hex)\n"
        let plan: WorktreeReset.Plan
        do {
            plan = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try WorktreeReset.plan(
                    worktree, to: sourceCommit, message: message,
                    savedWorkSummary: "mg: unfinished work of \(id) before adopting \(target)'s answer")
            }
        } catch {
            return .failure("Could not start from \(target)'s answer: \(error)")
        }
        await record(
            .answerAdopted(
                AdoptionRecord(
                    agent: id, source: answer.agent, sourceCommit: sourceCommit, savedWork: plan.savedWork,
                    newTip: plan.newTip)))
        do {
            try await BlockingWork.run { () throws(GitWorkspaceError) in
                try WorktreeReset.apply(plan, in: worktree)
            }
            if let copies = setup.contextCopies, !answer.contextTrees.isEmpty {
                // The copies of the write context paths follow the adopted answer too.
                try await BlockingWork.run { () throws(GitWorkspaceError) in
                    try copies.restore(agent: id, trees: answer.contextTrees)
                }
            }
        } catch {
            return .failure("Could not reset your worktree to \(target)'s answer: \(error)")
        }
        await events.emit(.toolCall, agent: id) {
            $0.tool = "adopt_answer"
            $0.target = target
            $0.commit = plan.newTip.hex
            $0.detail = "started over from \(target)'s answer \(answer.iteration)"
        }
        var text =
            "Your worktree now holds \(target)'s answer \(answer.iteration) (commit \(sourceCommit.short))."
        if let saved = plan.savedWork {
            text += " Your unfinished work is saved on your branch as \(saved.short)."
        }
        return .success(text + " Improve it, run the tests, then call new_answer.")
    }
}
