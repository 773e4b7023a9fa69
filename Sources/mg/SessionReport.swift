import Foundation
import Voting

/// What the end of a run always says: the winner and why, where it landed, the branches to
/// review, and the commands to inspect or merge another one.
struct SessionReport {
    let outcome: SessionOutcome
    let repositoryRoot: String

    func print(to console: Console) {
        let session = outcome.session
        switch outcome.kind {
        case .success:
            let landed = outcome.operation.map { record -> String in
                if let commit = record.refUpdates.first?.new { return "committed as \(commit.short) on \(record.refUpdates.first?.name ?? "HEAD")" }
                return "applied to the working tree (uncommitted; review with `git diff`)"
            } ?? "not merged (merge mode none); it stays on \(outcome.winnerBranch ?? "its branch")"
            console.result("Winner: \(outcome.winner ?? "?") — \(why()). The change was \(landed).")
        case .noAcceptableAnswer:
            console.result("No acceptable answer: nothing was merged, nothing of yours was changed.")
            for (agent, error) in outcome.agentErrors.sorted(by: { $0.key < $1.key }) {
                console.result("  \(agent): \(error)")
            }
        case .mergeRefused(let reason, let hint):
            console.result("Winner: \(outcome.winner ?? "?") — but the merge was refused: \(reason)")
            console.result("Nothing of yours was changed. \(hint)")
        case .interrupted:
            console.result("Interrupted: every agent's work is committed on its branch; your repository is as it was.")
        }
        let branches = outcome.agents.map { "massgen/\(session)/\($0.id)" }
        if !branches.isEmpty {
            console.result("Branches: " + branches.joined(separator: ", "))
            console.result("Inspect: mg branches \(session) · mg diff AGENT --session \(session) · git log --all --graph --oneline")
            console.result("Merge another: mg merge AGENT --session \(session)")
        }
        if let log = outcome.diffLogPath { console.result("Diff log: \(log)") }
        if outcome.costUSD > 0 { console.result(String(format: "Cost: $%.4f", outcome.costUSD)) }
    }

    private func why() -> String {
        guard let top = outcome.ranking.first else { return "the only answer" }
        var parts = ["\(top.votes) vote\(top.votes == 1 ? "" : "s")"]
        if let passed = top.testsPassed { parts.append(passed ? "tests pass" : "tests fail") }
        return parts.joined(separator: ", ")
    }
}
