import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// `new_answer(content)`: commits the agent's worktree as its next iteration, runs the tests
    /// there (the agent waits, so its files hold still), logs the diffs, then publishes the answer:
    /// votes reset and every other agent restarts at its next checkpoint.
    ///
    /// Empty text, an unchanged worktree (novelty), the answer limit and a second terminal call
    /// in the same turn are refused with a corrective message.
    public func submitAnswer(_ agent: Int, content: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        let anonymous = state.agents[agent].anonymousID
        if let conflict = turnConflict(agent) { return await rejectAnswer(agent, conflict) }
        let summary = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.isEmpty {
            return await rejectAnswer(
                agent, "new_answer needs content: a summary of what you changed and how you verified it.")
        }
        if let refusal = state.answerRefusal(agent) { return await rejectAnswer(agent, refusal) }

        let iteration = state.agents[agent].answers.count + 1
        let worktree = setup.worktrees[agent]
        let committed: IterationCommit
        do {
            let outcome = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try IterationCommitter.commit(worktree, iteration: iteration, summary: summary)
            }
            switch outcome {
            case .committed(let commit): committed = commit
            case .unchanged:
                let since = iteration == 1 ? "the base" : "your previous answer"
                // Point at the way forward that exists now: voting only once there are answers.
                let next =
                    state.answerSerial == 0
                    ? "Change the files first (edit_file or write_file), then call new_answer."
                    : "Change the code, or vote for an existing answer."
                return await rejectAnswer(
                    agent, "Your worktree has no changes since \(since), so this answer is not new. " + next)
            }
        } catch {
            await events.emit(.error, agent: id) {
                $0.message = "Committing the answer of \(id) failed: \(error)"
            }
            return .failure("Your answer could not be committed: \(error). Try new_answer again.")
        }

        await events.phase(.testing, agent: id)
        let evidence = await self.evidence.run(in: worktree.path)
        let previous = answers[agent]?.commit
        let diffs: WorkspaceDiffLogger.AnswerDiffs
        do {
            diffs = try await diffLogger.logAnswer(
                agent: id, anonymousID: anonymous, iteration: iteration, commit: committed.commit,
                base: setup.base.commit, previous: previous, patchBudget: setup.patchBudget)
        } catch {
            await events.emit(.error, agent: id) {
                $0.message = "Diffing the answer of \(id) failed: \(error)"
            }
            return .failure(
                "Your answer could not be compared with the base: \(error). Try new_answer again.")
        }
        let snapshot = AnswerSnapshot(
            agent: id, anonymousID: anonymous, configIndex: agent, iteration: iteration,
            commit: committed.commit,
            summary: summary, patch: diffs.patch.text, omittedHunks: diffs.patch.omittedHunks,
            stat: diffs.record.againstBase.stat,
            diffLines: diffs.record.againstBase.changedLines, evidence: evidence)

        let published: Int? = await serialized {
            guard state.answerRefusal(agent) == nil else { return nil }
            let serial = state.answerSerial + 1
            await record(
                .answerAccepted(
                    AnswerRecord(
                        agent: id, anonymousID: anonymous, iteration: iteration, commit: committed.commit,
                        branch: worktree.branch, summary: summary, serial: serial)))
            if let evidence {
                await record(
                    .testEvidence(EvidenceRecord(agent: id, commit: committed.commit, evidence: evidence)))
            }
            await record(.answerDiff(diffs.record))
            state.acceptAnswer(agent)
            answers[agent] = snapshot
            wakeRestartingVoters()
            return serial
        }
        guard published != nil else {
            return .failure(
                "The round ended before your answer could be accepted; it is kept on your branch as \(committed.commit.short)."
            )
        }
        await events.emit(.answer, agent: id) {
            $0.anonymousID = anonymous
            $0.accepted = true
            $0.iteration = iteration
            $0.commit = committed.commit.hex
            $0.branch = worktree.branch
            $0.detail = summary
            $0.diffLines = snapshot.diffLines
        }
        if let evidence {
            await events.emit(.testResult, agent: id) {
                $0.anonymousID = anonymous
                $0.iteration = iteration
                $0.commit = committed.commit.hex
                $0.passed = evidence.passed
                $0.passedCount = evidence.passedCount
                $0.failedTests = evidence.failedTests
                $0.detail = evidence.headline
            }
        }
        var text =
            "Your answer is recorded as \(anonymous) answer \(iteration) (commit \(committed.commit.short))."
        if let evidence { text += " Tests (`\(evidence.command)`): \(evidence.headline)." }
        if !committed.skippedSecrets.isEmpty {
            text +=
                " Secret-looking files were left out: \(committed.skippedSecrets.joined(separator: ", "))."
        }
        return .terminal(
            text,
            payload: .object([
                "iteration": .number(Double(iteration)), "commit": .string(committed.commit.hex),
            ]))
    }

    private func rejectAnswer(_ agent: Int, _ reason: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        let anonymous = state.agents[agent].anonymousID
        await events.emit(.answer, agent: id) {
            $0.anonymousID = anonymous
            $0.accepted = false
            $0.reason = reason
        }
        return await invalidAttempt(agent, reason)
    }

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
