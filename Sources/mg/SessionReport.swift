import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// What the end of a run always says: what happened, the winner and why (votes, tests), where it
/// landed (a commit, or applied to the working tree), every agent's branch to review, and the
/// exact commands to inspect one or merge another. Printed even with `--quiet` (it is the result).
struct SessionReport {
    let outcome: SessionOutcome
    /// Tokens of the session's model calls (prompt, of which from the provider's cache, completion).
    var usage: TokenUsage?

    /// The tokens counted by the agents' meters (shared meters counted once).
    static func usage(of agents: [AgentSpec]) -> TokenUsage {
        var seen: Set<ObjectIdentifier> = []
        return agents.compactMap(\.costMeter).filter { seen.insert(ObjectIdentifier($0)).inserted }
            .reduce(TokenUsage()) { $0 + $1.totalUsage }
    }

    /// "Tokens: 45,210 prompt (38,400 from cache), 2,310 completion".
    static func tokens(_ usage: TokenUsage) -> String {
        func grouped(_ value: Int) -> String { value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
        var line = "Tokens: \(grouped(usage.inputTokens)) prompt"
        if usage.cachedInputTokens > 0 { line += " (\(grouped(usage.cachedInputTokens)) from cache)" }
        return line + ", \(grouped(usage.outputTokens)) completion"
    }

    /// The report's lines.
    func lines() -> [String] {
        let session = outcome.session
        var out: [String] = []
        switch outcome.kind {
        case .success:
            out.append("Winner: \(winnerName) — \(why()).")
            out.append(landing())
        case .noAcceptableAnswer:
            out.append("No acceptable answer: nothing was merged and nothing of yours was changed.")
            for (agent, error) in outcome.agentErrors.sorted(by: { $0.key < $1.key }) {
                out.append("  \(agent): \(error)")
            }
        case .mergeRefused(let reason, let hint):
            out.append("Winner: \(winnerName) — \(why()) — but it was not merged: \(reason)")
            out.append(
                "Nothing of yours was changed; the winner stays on \(outcome.winnerBranch ?? "its branch").")
            out.append(contentsOf: hint.split(separator: "\n").map { "  " + $0 })
        case .interrupted:
            out.append("Interrupted: the agents were stopped and their work committed to their branches.")
            out.append("Nothing was merged; your branch, index and working tree are as they were.")
        }
        guard !outcome.agents.isEmpty else { return out }
        out.append("Agents (each one's work stays on its branch):")
        let width = outcome.agents.map(\.id.count).max() ?? 0
        for agent in outcome.agents {
            let entry = outcome.ranking.first { $0.anonymousID == agent.anonymousID }
            var facts = [agent.anonymousID]
            if let entry {
                facts.append("\(entry.votes) vote\(entry.votes == 1 ? "" : "s")")
                facts.append(Self.tests(entry))
            } else {
                facts.append(
                    outcome.agentErrors[agent.id].map { "no answer (\(Self.shortened($0, to: 90)))" } ?? "no answer")
            }
            let mark = agent.id == outcome.winner ? "  ← winner" : ""
            let branch = "massgen/\(session)/\(agent.id)"
            out.append(
                "  \(branch.padding(toLength: width + session.count + 9, withPad: " ", startingAt: 0))  \(facts.joined(separator: ", "))\(mark)"
            )
        }
        let answered = Set(outcome.ranking.map(\.anonymousID))
        let example =
            outcome.agents.first { $0.id != outcome.winner && answered.contains($0.anonymousID) }?.id
            ?? outcome.winner ?? outcome.agents[0].id
        out.append("Inspect:")
        out.append("  mg branches \(session)")
        out.append("  mg diff \(example) --session \(session)")
        out.append("  git log --all --graph --oneline")
        switch outcome.kind {
        case .success where outcome.operation != nil:
            // Only when another agent answered: re-merging the winner is no alternative.
            if example != outcome.winner {
                out.append(
                    "Land another answer instead (after undoing this one): mg merge \(example) --session \(session)")
            }
        default:
            if let candidate = outcome.winner ?? (answered.isEmpty ? nil : example) {
                out.append("Merge one by hand: mg merge \(candidate) --session \(session)")
            }
        }
        if let log = outcome.diffLogPath { out.append("Diff log: \(log)") }
        if let usage, usage.inputTokens + usage.outputTokens > 0 { out.append(Self.tokens(usage)) }
        if outcome.costUSD > 0 { out.append(String(format: "Cost: $%.4f", outcome.costUSD)) }
        return out
    }

    /// `text` cut at a word boundary to at most `limit` characters, with "…" when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let head = text.prefix(limit - 1)
        let cut = head.lastIndex(of: " ").map { head[..<$0] } ?? head
        return cut + "…"
    }

    /// Prints the report as the command's result.
    func print(to console: Console) {
        for line in lines() { console.result(line) }
    }

    private var winnerName: String {
        let anonymous = outcome.ranking.first.map { " (\($0.anonymousID))" } ?? ""
        return (outcome.winner ?? "?") + anonymous
    }

    /// "3 of 3 votes, tests pass (4 passed), 3 lines changed" plus what broke a tie.
    private func why() -> String {
        guard let top = outcome.ranking.first else { return "the only answer" }
        let total = outcome.ranking.reduce(0) { $0 + $1.votes }
        var parts = ["\(top.votes) of \(total) vote\(total == 1 ? "" : "s")", Self.tests(top)]
        parts.append("\(top.diffLines) line\(top.diffLines == 1 ? "" : "s") changed")
        if let key = top.decidedBy, key != "votes", outcome.ranking.count > 1 {
            parts.append("ahead on \(key.replacingOccurrences(of: "_", with: " "))")
        }
        return parts.joined(separator: ", ")
    }

    private func landing() -> String {
        guard let record = outcome.operation else {
            let branch = outcome.winnerBranch ?? "its branch"
            return "Not merged (merge mode none, or an empty change): it stays on \(branch)."
        }
        if let update = record.refUpdates.first, let commit = update.new {
            let ref = update.name.replacingOccurrences(of: "refs/heads/", with: "")
            return "Landed: committed as \(commit.short) on \(ref) (\(commit.hex))."
        }
        return
            "Landed: applied to your working tree, uncommitted — review with `git diff`, commit when ready."
    }

    static func tests(_ entry: TallyEntry) -> String {
        switch entry.testsPassed {
        case true?: return "tests pass" + (entry.passedCount.map { " (\($0) passed)" } ?? "")
        case false?: return "tests fail" + (entry.passedCount.map { " (\($0) passed)" } ?? "")
        case nil: return "not tested"
        }
    }
}
