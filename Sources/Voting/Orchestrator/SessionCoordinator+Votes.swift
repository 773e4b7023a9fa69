import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// `vote(agent_id, reason)`: counts the vote, ignores it (the voter has not seen the latest
    /// answers and will restart), or refuses it with a corrective message.
    public func submitVote(_ agent: Int, target: String, reason: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        if let conflict = turnConflict(agent) { return await rejectVote(agent, target: target, conflict) }
        enum Result: Sendable {
            case counted(serial: Int)
            case ignored(serial: Int)
            case invalid(String)
        }
        let result: Result = await serialized {
            var next = state
            switch next.castVote(agent, target: target, reason: reason) {
            case .counted:
                let targetPassed = state.index(anonymous: target).flatMap { answers[$0]?.evidence?.judged.passed }
                await record(
                    .vote(
                        VoteRecord(
                            voter: id, target: target, reason: reason, counted: true,
                            serial: state.answerSerial, targetPassed: targetPassed)))
                state = next
                return .counted(serial: state.answerSerial)
            case .ignoredMustRestart:
                await record(
                    .vote(
                        VoteRecord(
                            voter: id, target: target, reason: reason, counted: false,
                            serial: state.answerSerial)))
                return .ignored(serial: state.answerSerial)
            case .invalid(let message):
                return .invalid(message)
            }
        }
        switch result {
        case .counted:
            await events.phase(.voting, agent: id)
            await events.emit(.vote, agent: id) {
                $0.target = target
                $0.accepted = true
                $0.detail = reason
            }
            return .terminal(
                "Your vote for \(target) is counted.", payload: .object(["agent_id": .string(target)]))
        case .ignored:
            await events.emit(.vote, agent: id) {
                $0.target = target
                $0.accepted = false
                $0.reason = "new answers arrived since this agent's context was built; it restarts"
            }
            return .success(
                "Your vote was not counted: new answers arrived while you worked. You will see them now; then vote again or improve your answer."
            )
        case .invalid(let message):
            return await rejectVote(agent, target: target, message)
        }
    }

    private func rejectVote(_ agent: Int, target: String, _ message: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        await events.emit(.vote, agent: id) {
            $0.target = target
            $0.accepted = false
            $0.reason = message
        }
        return await invalidAttempt(agent, message)
    }

    /// `view_answer(agent_id, path?)`: another answer's changed files, or one of its files.
    public func viewAnswer(target: String, path: String?) async -> ToolOutcome {
        guard let index = state.index(anonymous: target), let answer = answers[index] else {
            let choices = currentAnswers.map(\.anonymousID).joined(separator: ", ")
            return .failure(
                "\"\(target)\" has no answer to view. Answers: \(choices.isEmpty ? "none yet" : choices).")
        }
        let root = setup.repositoryRoot
        let base = setup.base.commit
        let commit = answer.commit
        do {
            guard let path, !path.isEmpty else {
                let text = try await BlockingWork.run { () throws(GitWorkspaceError) in
                    try AnswerInspector.overview(
                        repositoryRoot: root, commit: commit, base: base, anonymousID: target)
                }
                return .success(
                    "Summary of \(target)'s answer \(answer.iteration):\n\(answer.summary)\n\n" + text)
            }
            let content = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try AnswerInspector.file(repositoryRoot: root, commit: commit, path: path)
            }
            switch content {
            case .success(let text): return .success(text)
            case .failure(let problem): return .failure(problem.message)
            }
        } catch {
            return .failure("Could not read \(target)'s answer: \(error)")
        }
    }
}
