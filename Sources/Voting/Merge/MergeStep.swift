import Foundation
import GitWorkspace

/// The end of a session: similarity, the decision (gate, ranking, gate commands), merge-back of
/// the winner, worktree cleanup, and the typed outcome. Refusal and failure keep everything: the winner stays on its branch and the
/// outcome carries the command to merge it later.
struct MergeStep: Sendable {
    let session: String
    let repositoryRoot: String
    /// The turn's base (answers are compared with it).
    let base: BaseSnapshot
    /// What the winner lands from: the base, or the base of the unlanded turns it builds on.
    let landing: BaseSnapshot
    let mode: MergeMode
    let worktrees: [AgentWorktree]
    let cleanup: OrchestratorSettings.WorktreeCleanup
    let events: SessionEvents
    let recorder: any SessionRecorder
    let diffLogger: WorkspaceDiffLogger
    /// The session's repository lock, held until it ends: merges run under it.
    let lock: RepositoryLock
    /// The agents' copies of the write context paths outside the repository.
    var copies: ContextCopies? = nil

    let decision: DecisionStep

    func finish(coordinator: SessionCoordinator, roundEnd: RoundEndReason, interrupted: Bool) async
        -> SessionOutcome
    {
        let answers = await coordinator.currentAnswers
        let votes = await coordinator.voteCounts
        let similarity: SimilarityRecord? =
            answers.isEmpty
            ? nil
            : try? await diffLogger.logSimilarity(
                answers: answers.map { ($0.anonymousID, $0.commit) }, base: base.commit,
                round: "end of round (\(roundEnd.rawValue))")
        // An interrupted session decides nothing: its answers stay on their branches.
        let decided: DecisionStep.Result? =
            interrupted || answers.isEmpty ? nil : await decision.decide(answers: answers, votes: votes)
        let ranking = decided?.ranking ?? []
        let winner = decided?.winner
        await record(
            .roundFinished(
                RoundRecord(reason: roundEnd, ranking: ranking, similarity: similarity, decision: decided?.decision)))
        await events.emit(.roundFinished) {
            $0.reason = roundEnd.rawValue
            $0.winner = winner?.agent
            $0.target = winner?.anonymousID
            $0.votes = votes
            $0.similarity = similarity?.label
            $0.eligible = decided.map { $0.winner != nil }
            $0.rule = decided?.decision.rule
            $0.overruled = decided?.decision.overruled
        }

        var outcome = SessionOutcome(
            session: session, kind: .success, winner: winner?.agent, winnerCommit: winner?.commit,
            winnerBranch: winner.map { AgentWorktree.branchName(session: session, agent: $0.agent) },
            operation: nil,
            ranking: ranking, roundEnd: roundEnd, agentErrors: await coordinator.agentFailures,
            costUSD: await coordinator.totalCost, diffLogPath: answers.isEmpty ? nil : diffLogger.logPath)
        outcome.decision = decided?.decision

        if interrupted {
            outcome.kind = .interrupted
        } else if let winner, winner.noChange || (winner.diffLines == 0 && !winner.changesContextPaths) {
            outcome.kind = .nothingToChange
            await events.emit(.merged, agent: winner.agent) {
                $0.commit = winner.commit.hex
                $0.noChange = true
                $0.detail = "nothing to change: the chosen answer changes nothing, so nothing was merged"
            }
        } else if let winner {
            outcome.kind = await merge(winner, into: &outcome)
        } else if !answers.isEmpty {
            outcome.kind = .noEligibleAnswer
            let reasons = ranking.map { "\($0.anonymousID): \($0.rule)" }.joined(separator: "; ")
            await events.emit(.error) { $0.message = "No answer passed the gate, so nothing was merged: \(reasons)" }
        } else if let lines = await coordinator.backendFailure {
            outcome.kind = .backendUnavailable(lines: lines)
            await events.emit(.error) {
                $0.message = "No backend could be used, so nothing was done: " + lines.joined(separator: "; ")
            }
        } else {
            outcome.kind = .noAcceptableAnswer
            // Agents the round's end cut short have no error of their own: say what stopped them.
            if let cutShort = Self.cutShortReason(roundEnd) {
                for id in coordinator.setup.agentIDs where outcome.agentErrors[id] == nil {
                    outcome.agentErrors[id] = cutShort
                }
            }
            let summary = outcome.agentErrors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                .joined(separator: "; ")
            await events.emit(.error) {
                $0.message = "No agent produced an answer" + (summary.isEmpty ? "." : ": \(summary)")
            }
        }
        // After the merge, never alongside it: a crash during the merge then leaves every
        // worktree in place for `mg continue --resume` or `mg clean` (and its undo).
        await cleanUp()
        let finished = outcome
        await record(
            .finished(
                SessionFinishRecord(
                    outcome: finished.kindName, exitCode: Int(finished.exitCode), winner: finished.winner,
                    costUSD: finished.costUSD, date: Date(), agentFailures: finished.agentErrors)))
        await events.emit(.sessionFinished) {
            $0.outcome = finished.kindName
            $0.exitCode = Int(finished.exitCode)
            $0.winner = finished.winner
            $0.costUSD = finished.costUSD
        }
        return finished
    }

    /// Merges the winner; a refusal (or any git failure) leaves it on its branch.
    private func merge(_ winner: AnswerSnapshot, into outcome: inout SessionOutcome) async
        -> SessionOutcome.Kind
    {
        let branch = AgentWorktree.branchName(session: session, agent: winner.agent)
        let hint = MergeBack.manualHint(branch: branch, base: landing)
        await record(.mergeStarting(agent: winner.agent, commit: winner.commit, mode: mode))
        let root = repositoryRoot
        let base = self.landing
        let mode = self.mode
        let message = MergeBack.commitMessage(
            summary: winner.summary, session: session, agent: winner.agent, via: "mg fix")
        let lock = self.lock
        let recorder = self.recorder
        let copies = self.copies
        do {
            // Plan (checks, commit object), then one transaction under the session's lock: the
            // journal first (a crash after it leaves an operation `mg undo` recognises as never
            // landed), then the change, rolled back if it fails.
            let operation = try await BlockingWork.run { () throws(GitWorkspaceError) -> OperationRecord? in
                var planned = try MergeBack(repositoryRoot: root).plan(
                    winner: winner.commit, winnerBranch: branch, base: base, mode: mode, message: message)
                if mode != .none, let copies, !winner.contextTrees.isEmpty {
                    // The winner's change to the write context paths lands in the same transaction.
                    let outside = try copies.updates(for: winner.contextTrees)
                    if !outside.isEmpty {
                        let note = "\(outside.count) file(s) in context paths outside the repository"
                        var record =
                            planned
                            ?? OperationRecord(
                                kind: .merge(mode), repositoryRoot: root,
                                summary: "merge-back (\(mode.rawValue)) of \(branch): " + note)
                        if planned != nil { record.summary += "; " + note }
                        record.outsideUpdates = outside
                        planned = record
                    }
                }
                guard let plan = planned else { return nil }
                return try RepositoryTransaction.run(.held(lock), journal: recorder.journal(for: plan)) {
                    () throws(GitWorkspaceError) -> OperationRecord in
                    try MergeBack(repositoryRoot: root).apply(plan, winnerBranch: branch, base: base)
                    return plan
                }
            }
            outcome.operation = operation
            await record(.merged(operation))
            await events.emit(.merged, agent: winner.agent) {
                $0.commit = winner.commit.hex
                $0.branch = branch
                $0.detail =
                    operation?.summary
                    ?? (mode == .none
                        ? "merge mode none: the winner stays on \(branch)" : "the winning change is empty")
            }
            return .success
        } catch {
            let reason: String
            let fix: String
            if case .mergeRefused(let why, let how) = error {
                (reason, fix) = (why, how)
            } else {
                (reason, fix) = (error.description, hint)
            }
            await record(.mergeRefused(reason: reason, hint: fix))
            await events.emit(.mergeRefused, agent: winner.agent) {
                $0.reason = reason
                $0.hint = fix
                $0.branch = branch
                $0.commit = winner.commit.hex
            }
            return .mergeRefused(reason: reason, hint: fix)
        }
    }

    /// Unlocks every worktree; removes them when configured (removal commits leftovers first and
    /// refuses when the work is not on the branch). Worktrees are independent (own folder, admin
    /// folder and branch), so they are cleaned up in parallel.
    private func cleanUp() async {
        let root = repositoryRoot
        let remove = cleanup == .remove
        let problems = await withTaskGroup(of: (Int, String?).self) { group in
            for (index, worktree) in worktrees.enumerated() {
                group.addTask {
                    let problem: String? = await BlockingWork.run { () -> String? in
                        let manager = WorktreeManager(repositoryRoot: root)
                        do throws(GitWorkspaceError) {
                            try manager.unlock(worktree)
                            if remove { _ = try manager.remove(worktree) }
                            return nil
                        } catch {
                            return error.description
                        }
                    }
                    return (index, problem)
                }
            }
            var problems: [Int: String] = [:]
            for await (index, problem) in group { problems[index] = problem }
            return problems
        }
        // Two removals finishing together can each still see the other's folder.
        if remove { WorktreeManager(repositoryRoot: root).removeEmptySessionFolder(session) }
        for (index, worktree) in worktrees.enumerated() {
            guard let problem = problems[index] else { continue }
            await events.emit(.error, agent: worktree.agent) {
                $0.message = "Cleaning up the worktree of \(worktree.agent) failed: \(problem)"
            }
        }
    }

    private func record(_ change: SessionChange) async {
        do {
            try await recorder.record(change)
        } catch {
            await events.emit(.error) { $0.message = "The session store could not record a change: \(error)" }
        }
    }
}

extension MergeStep {
    /// Why an agent without an answer or error stopped, when the round's end says so.
    static func cutShortReason(_ end: RoundEndReason) -> String? {
        switch end {
        case .timeout: return "stopped: the session's time limit passed (--timeout, orchestrator.timeout_seconds)"
        case .costCeiling: return "stopped: the session's cost ceiling was reached (--max-cost, orchestrator.max_cost_usd)"
        case .allVoted, .noLiveAgents, .interrupted, .setupFailed, .firstAnswer: return nil
        }
    }
}
