import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// `new_answer(content)`: commits the agent's worktree as its next iteration, runs the tests
    /// (the agent waits, so its files hold still), logs the diffs, then publishes the answer:
    /// votes reset and every other agent restarts at its next checkpoint.
    ///
    /// Refused with a corrective message: empty text, a second terminal call in the same turn,
    /// the answer limit, changed protected paths (put back as the base has them), and an
    /// unchanged worktree — except for a first answer while the base's tests pass, which is
    /// accepted as "nothing needs to change".
    public func submitAnswer(_ agent: Int, content: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        if let conflict = turnConflict(agent) { return await rejectAnswer(agent, conflict) }
        let summary = content.trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.isEmpty {
            return await rejectAnswer(
                agent, "new_answer needs content: a summary of what you changed and how you verified it.")
        }
        if let refusal = state.answerRefusal(agent) { return await rejectAnswer(agent, refusal) }

        let iteration = state.agents[agent].answers.count + 1
        let context: ContextState
        do {
            context = try await contextState(agent)
        } catch {
            return .failure(
                "Your copies of the context paths could not be stored: \(error). Try new_answer again.")
        }
        if !context.protectedChanges.isEmpty {
            return await rejectAnswer(
                agent,
                "Your copy of a context path changed protected paths: "
                    + context.protectedChanges.prefix(5).joined(separator: ", ")
                    + ". Put them back as they were, then call new_answer again.")
        }
        let committed: IterationCommit
        var noChange = false
        do {
            switch try await commit(agent, iteration: iteration, summary: summary, allowUnchanged: false) {
            case .committed(let commit): committed = commit
            case .refused(let paths):
                return await rejectAnswer(agent, protectedPathsMessage(paths))
            case .unchanged:
                // A change to a write context path outside the repository is a change too.
                if !context.movedSinceLastAnswer, let refusal = await noChangeRefusal(iteration: iteration) {
                    return await rejectAnswer(agent, refusal)
                }
                guard case .committed(let commit) = try await commit(
                    agent, iteration: iteration, summary: summary, allowUnchanged: true)
                else { return await rejectAnswer(agent, "Your worktree changed while mg committed it; call new_answer again.") }
                committed = commit
                noChange = !context.changed
            }
        } catch {
            await events.emit(.error, agent: id) { $0.message = "Committing the answer of \(id) failed: \(error)" }
            return .failure("Your answer could not be committed: \(error). Try new_answer again.")
        }

        if !noChange, let refusal = await noveltyRefusal(agent, commit: committed.commit) {
            return await rejectAnswer(agent, refusal)
        }
        await events.phase(.testing, agent: id)
        let (testChanges, judgedTree) =
            noChange ? (TestChanges(), nil) : await testChanges(of: committed.commit)
        let evidence =
            noChange
            ? baselineResult.map { AnswerEvidence(own: $0, judgedByOwnTests: setup.allowTestChanges) }
            : await collectEvidence(agent, judgedTree: judgedTree, iteration: iteration)
        let diffs: WorkspaceDiffLogger.AnswerDiffs
        do {
            diffs = try await diffLogger.logAnswer(
                agent: id, anonymousID: state.agents[agent].anonymousID, iteration: iteration,
                commit: committed.commit, base: setup.base.commit, previous: answers[agent]?.commit,
                patchBudget: setup.patchBudget)
        } catch {
            await events.emit(.error, agent: id) { $0.message = "Diffing the answer of \(id) failed: \(error)" }
            return .failure("Your answer could not be compared with the base: \(error). Try new_answer again.")
        }
        var snapshot = AnswerSnapshot(
            agent: id, anonymousID: state.agents[agent].anonymousID, configIndex: agent, iteration: iteration,
            commit: committed.commit, summary: summary, patch: diffs.patch.text + context.patch,
            omittedHunks: diffs.patch.omittedHunks, stat: diffs.record.againstBase.stat,
            diffLines: diffs.record.againstBase.changedLines, evidence: evidence,
            noChange: noChange || (diffs.record.againstBase.changedLines == 0 && !context.changed),
            testChanges: testChanges)
        snapshot.contextTrees = context.trees
        snapshot.changesContextPaths = context.changed
        guard await publish(snapshot, diffs: diffs) else {
            return .failure(
                "The round ended before your answer could be accepted; it is kept on your branch as \(committed.commit.short)."
            )
        }
        await announce(snapshot)
        if setup.endAtFirstAnswer { await endRound(.firstAnswer) }
        return .terminal(
            confirmation(snapshot, skippedSecrets: committed.skippedSecrets),
            payload: .object([
                "iteration": .number(Double(iteration)), "commit": .string(committed.commit.hex),
            ]))
    }

    private func commit(_ agent: Int, iteration: Int, summary: String, allowUnchanged: Bool) async throws(GitWorkspaceError)
        -> IterationOutcome
    {
        let worktree = setup.worktrees[agent]
        let protection = setup.protection
        // Test files are not restored here: an answer that changed them another way than the
        // refusing tools is kept, labelled "changes tests", judged by the base's tests, and may
        // not land unless the task allows test changes.
        let check = ProtectedPathCheck(baseTree: setup.base.tree) {
            protection.patterns.firstMatch($0) != nil || protection.isOutsideWriteScopes($0)
        }
        return try await BlockingWork.run { () throws(GitWorkspaceError) in
            try IterationCommitter.commit(
                worktree, iteration: iteration, summary: summary, protection: check, allowUnchanged: allowUnchanged)
        }
    }

    /// Why an unchanged worktree is not an answer now, or `nil` when it is accepted as "nothing
    /// needs to change": only as a first answer, and only while the base's tests pass (waits
    /// for the baseline run).
    private func noChangeRefusal(iteration: Int) async -> String? {
        guard iteration == 1 else {
            return "Your worktree has no changes since your previous answer, so this answer is not new. "
                + "Change the code, or vote for an existing answer."
        }
        guard evidence.command != nil else { return nil }
        let base = await baseline.result
        baselineResult = base
        guard let base, !base.passed else { return nil }
        let failing = base.failedTests.isEmpty ? "" : " (failing: \(AnswerGate.names(base.failedTests)))"
        return "Your worktree has no changes, and the tests fail on the base\(failing), so something needs to change. "
            + "Change the files first (edit_file or write_file), run the tests, then call new_answer."
    }

    private func protectedPathsMessage(_ paths: [String]) -> String {
        let reasons = paths.prefix(5).map { setup.protection.reason(for: $0) ?? "\($0) is protected" }
        return "Your worktree changed protected paths: " + reasons.joined(separator: "; ")
            + ". mg put them back as the base has them; your other changes are still in your worktree. "
            + "Call new_answer again."
    }

    /// Records the answer and publishes it to the other agents; false when the round ended first.
    private func publish(_ snapshot: AnswerSnapshot, diffs: WorkspaceDiffLogger.AnswerDiffs) async -> Bool {
        let agent = snapshot.configIndex
        let worktree = setup.worktrees[agent]
        let published: Int? = await serialized {
            guard state.answerRefusal(agent) == nil else { return nil }
            let serial = state.answerSerial + 1
            await record(
                .answerAccepted(
                    AnswerRecord(
                        agent: snapshot.agent, anonymousID: snapshot.anonymousID, iteration: snapshot.iteration,
                        commit: snapshot.commit, branch: worktree.branch, summary: snapshot.summary, serial: serial,
                        changedTests: snapshot.testChanges.changed, noChange: snapshot.noChange)))
            if let evidence = snapshot.evidence {
                await record(.testEvidence(EvidenceRecord(agent: snapshot.agent, commit: snapshot.commit, evidence: evidence.own)))
                if let base = evidence.baseTests {
                    await record(
                        .testEvidence(
                            EvidenceRecord(agent: snapshot.agent, commit: snapshot.commit, evidence: base, kind: .baseTests)))
                }
            }
            await record(.answerDiff(diffs.record))
            state.acceptAnswer(agent)
            answers[agent] = snapshot
            wakeRestartingVoters()
            return serial
        }
        return published != nil
    }

    /// The `answer` and `test_result` events of an accepted answer.
    private func announce(_ snapshot: AnswerSnapshot) async {
        let worktree = setup.worktrees[snapshot.configIndex]
        await events.emit(.answer, agent: snapshot.agent) {
            $0.anonymousID = snapshot.anonymousID
            $0.accepted = true
            $0.iteration = snapshot.iteration
            $0.commit = snapshot.commit.hex
            $0.branch = worktree.branch
            $0.detail = snapshot.summary
            $0.diffLines = snapshot.diffLines
            $0.changesTests = snapshot.testChanges.changesTests
            $0.noChange = snapshot.noChange
        }
        guard let evidence = snapshot.evidence else { return }
        let judged = evidence.judged
        await events.emit(.testResult, agent: snapshot.agent) {
            $0.anonymousID = snapshot.anonymousID
            $0.iteration = snapshot.iteration
            $0.commit = snapshot.commit.hex
            $0.passed = judged.passed
            $0.passedCount = judged.passedCount
            $0.failedTests = judged.failedTests
            $0.changesTests = snapshot.testChanges.changesTests
            $0.detail = evidence.headline
        }
    }

    /// What the agent is told about its accepted answer.
    private func confirmation(_ snapshot: AnswerSnapshot, skippedSecrets: [String]) -> String {
        var text =
            "Your answer is recorded as \(snapshot.anonymousID) answer \(snapshot.iteration) (commit \(snapshot.commit.short))."
        if snapshot.noChange { text += " It changes nothing: you say the code needs no change." }
        if let evidence = snapshot.evidence { text += " Tests (`\(evidence.own.command)`): \(evidence.headline)." }
        if snapshot.testChanges.changesTests {
            text += " You changed existing tests (\(AnswerGate.names(snapshot.testChanges.changed)))"
            text +=
                setup.allowTestChanges
                ? "; the task allows it."
                : "; the base's versions judge your answer, and it may not land unless the task allows test changes."
        }
        if !skippedSecrets.isEmpty {
            text += " Secret-looking files were left out: \(skippedSecrets.joined(separator: ", "))."
        }
        return text
    }

    func rejectAnswer(_ agent: Int, _ reason: String) async -> ToolOutcome {
        let id = setup.agentIDs[agent]
        let anonymous = state.agents[agent].anonymousID
        await events.emit(.answer, agent: id) {
            $0.anonymousID = anonymous
            $0.accepted = false
            $0.reason = reason
        }
        return await invalidAttempt(agent, reason)
    }
}
