import Foundation
import GitWorkspace

/// The decision at the end of a round (DESIGN §1.6a): waits for the baseline, judges every
/// answer at the gate, ranks them (evidence first by default), then runs the configured gate
/// commands on the best eligible answer — trying the next one when a command fails — and says
/// in words which rule decided and whether the evidence overruled the vote.
struct DecisionStep: Sendable {
    let session: String
    let repositoryRoot: String
    let policy: VotingPolicy
    let gateCommands: [String]
    /// The task may change tests; otherwise an answer that changed existing tests may not land.
    let allowTestChanges: Bool
    let evidence: EvidenceRunner
    let baseline: BaselineRun
    let events: SessionEvents
    let recorder: any SessionRecorder

    /// What was decided.
    struct Result: Sendable {
        /// Every answer, best first; `eligible` and `rule` say which may land and why.
        var ranking: [TallyEntry]
        /// The answer to land (or that says nothing needs to change); `nil` when none passed the gate.
        var winner: AnswerSnapshot?
        /// The decision in words.
        var decision: Decision
    }

    func decide(answers: [AnswerSnapshot], votes: [String: Int]) async -> Result {
        let base = await baseline.result
        var candidates = answers.map { answer in
            TallyCandidate(
                anonymousID: answer.anonymousID, configIndex: answer.configIndex,
                votes: votes[answer.anonymousID] ?? 0, evidence: answer.evidence, diffLines: answer.diffLines,
                verdict: AnswerGate.verdict(
                    evidence: answer.evidence, baseline: base, noChange: answer.noChange,
                    testChanges: answer.testChanges, allowTestChanges: allowTestChanges),
                noChange: answer.noChange, changesTests: answer.testChanges.changesTests)
        }
        var ranking = BallotTally.rank(candidates, policy: policy)
        var winner: AnswerSnapshot?
        while let entry = ranking.first(where: \.eligible),
            let answer = answers.first(where: { $0.anonymousID == entry.anonymousID })
        {
            guard !answer.noChange, let failure = await runGateCommands(on: answer) else {
                winner = answer
                break
            }
            // Excluded by a gate command: the next eligible answer is tried.
            for index in candidates.indices where candidates[index].anonymousID == answer.anonymousID {
                candidates[index].verdict = GateVerdict(eligible: false, rule: failure)
            }
            ranking = BallotTally.rank(candidates, policy: policy)
        }
        let decision = Decision(
            winner: winner?.anonymousID, rule: Self.rule(ranking: ranking, winner: winner),
            overruled: Self.overruled(ranking: ranking, answers: answers, winner: winner), baseline: base,
            policy: policy)
        return Result(ranking: ranking, winner: winner, decision: decision)
    }

    /// Runs the gate commands in order on a checkout of the answer's commit; the first failure
    /// in words, or `nil` when all pass.
    private func runGateCommands(on answer: AnswerSnapshot) async -> String? {
        guard !gateCommands.isEmpty else { return nil }
        let root = repositoryRoot
        let commit = answer.commit
        let tree: ObjectID
        do {
            tree = try await BlockingWork.run { () throws(GitWorkspaceError) in
                try Repository.open(at: root).tree(ofCommit: commit)
            }
        } catch {
            return "its commit could not be read for the gate commands: \(error)"
        }
        for (index, command) in gateCommands.enumerated() {
            guard
                let result = await evidence.run(
                    command, onTree: tree, repositoryRoot: root, session: session,
                    name: "gate-\(answer.agent)-\(index + 1)")
            else { continue }
            do {
                try await recorder.record(
                    .testEvidence(EvidenceRecord(agent: answer.agent, commit: commit, evidence: result, kind: .gate)))
            } catch {
                await events.emit(.error) { $0.message = "The session store could not record a gate command: \(error)" }
            }
            await events.emit(.testResult, agent: answer.agent) {
                $0.anonymousID = answer.anonymousID
                $0.commit = commit.hex
                $0.passed = result.passed
                $0.tool = "gate_command"
                $0.detail = "gate command `\(command)`: \(result.headline)"
            }
            if !result.passed { return "gate command `\(command)` failed: \(result.headline)" }
        }
        return nil
    }

    /// "agent1: tests pass; ahead of agent3 on votes", or why nothing may land.
    static func rule(ranking: [TallyEntry], winner: AnswerSnapshot?) -> String {
        guard let winner, let position = ranking.firstIndex(where: { $0.anonymousID == winner.anonymousID }) else {
            return ranking.isEmpty ? "no answers" : "no answer passed the gate"
        }
        let entry = ranking[position]
        var text = "\(winner.anonymousID): \(entry.rule)"
        if position + 1 < ranking.count, let key = entry.decidedBy {
            let next = ranking[position + 1]
            text += "; ahead of \(next.anonymousID) on " + keyWords(key, next: next)
        }
        return text
    }

    private static func keyWords(_ key: String, next: TallyEntry) -> String {
        switch key {
        case "gate": return "the gate (\(next.anonymousID): \(next.rule))"
        case "tests": return "tests"
        case "failing_tests": return "fewer failing tests"
        case "votes": return "votes"
        case "changes": return "making a change"
        case "diff_size": return "a smaller diff"
        default: return "configuration order"
        }
    }

    /// Set when the answer with the most votes is not the one that lands: "2 votes for beta
    /// (agent2), whose tests fail …; alpha (agent1): tests pass".
    static func overruled(ranking: [TallyEntry], answers: [AnswerSnapshot], winner: AnswerSnapshot?) -> String? {
        let most = ranking.map(\.votes).max() ?? 0
        guard most > 0,
            let leader = ranking.first(where: { $0.votes == most && $0.anonymousID != winner?.anonymousID }),
            (ranking.first { $0.anonymousID == winner?.anonymousID }?.votes ?? 0) < most
        else { return nil }
        func name(_ anonymousID: String) -> String {
            let agent = answers.first { $0.anonymousID == anonymousID }?.agent
            return agent.map { "\($0) (\(anonymousID))" } ?? anonymousID
        }
        var text = "\(most) vote\(most == 1 ? "" : "s") for \(name(leader.anonymousID))"
        text += leader.eligible ? " (\(leader.rule))" : ", which may not land (\(leader.rule))"
        if let winner, let entry = ranking.first(where: { $0.anonymousID == winner.anonymousID }) {
            text += "; \(name(winner.anonymousID)) is chosen: \(entry.rule)"
        }
        return text
    }
}
