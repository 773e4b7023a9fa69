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
    /// Models called without a known price: their spend is missing from the cost.
    var unpricedModels: [String] = []

    /// The report of `outcome`, with the tokens and unpriced models the agents' meters counted
    /// (shared meters counted once).
    init(outcome: SessionOutcome, agents: [AgentSpec] = []) {
        self.outcome = outcome
        let meters = Self.meters(of: agents)
        if !meters.isEmpty { usage = Self.usage(of: agents) }
        unpricedModels = Set(meters.flatMap(\.unpricedModels)).sorted()
    }

    /// The agents' meters, a shared one once.
    static func meters(of agents: [AgentSpec]) -> [CostMeter] {
        var seen: Set<ObjectIdentifier> = []
        return agents.compactMap(\.costMeter).filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// The tokens counted by the agents' meters.
    static func usage(of agents: [AgentSpec]) -> TokenUsage {
        meters(of: agents).reduce(TokenUsage()) { $0 + $1.totalUsage }
    }

    /// "Cost: $0.2600", and what it leaves out; `nil` when nothing was spent or missed.
    var costLine: String? {
        guard outcome.costUSD > 0 || !unpricedModels.isEmpty else { return nil }
        var line = String(format: "Cost: $%.4f", outcome.costUSD)
        if !unpricedModels.isEmpty {
            line += ", not counting \(unpricedModels.joined(separator: ", ")) (no known price: set `pricing:` in the config)"
        }
        return line
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
        if let baseline = outcome.decision?.baseline {
            out.append("Base (before any change): \(baseline.headline).")
        }
        switch outcome.kind {
        case .success:
            out.append("Winner: \(winnerName) — \(why()).")
            out.append(contentsOf: decisionLines())
            out.append(landing())
            if outcome.operation != nil, !outcome.carriedTurns.isEmpty {
                out.append("It also landed the change of turn\(Self.turns(outcome.carriedTurns)), which had stayed on its branch and this turn built on.")
            }
        case .nothingToChange:
            out.append("Nothing to change: \(winnerName) says the code needs no change, and the base's tests pass.")
            out.append(contentsOf: decisionLines())
            out.append("Nothing was merged; your branch, index and working tree are as they were.")
        case .noEligibleAnswer:
            out.append("No answer passed the gate: nothing was merged and nothing of yours was changed.")
            for entry in outcome.ranking {
                let name = outcome.agent(forAnonymousID: entry.anonymousID) ?? entry.anonymousID
                out.append("  \(name) (\(entry.anonymousID)): \(entry.rule)")
            }
            if let overruled = outcome.decision?.overruled { out.append("The vote was overruled: \(overruled).") }
        case .backendUnavailable(let lines):
            out.append("No backend could be used: nothing was merged and nothing of yours was changed.")
            for line in lines { out.append("  \(line)") }
            out.append("Check `mg config show`, the keys in your environment and each `base_url`.")
            return out
        case .noAcceptableAnswer:
            out.append("No acceptable answer: nothing was merged and nothing of yours was changed.")
            for (agent, error) in outcome.agentErrors.sorted(by: { $0.key < $1.key }) {
                out.append("  \(agent): \(error)")
            }
        case .mergeRefused(let reason, let hint) where !outcome.carriedTurns.isEmpty:
            out.append("Winner: \(winnerName) — \(why()) — but it was not merged: \(reason)")
            out.append(
                "It builds on turn\(Self.turns(outcome.carriedTurns)), also not landed: nothing of yours was changed, "
                    + "and all of it stays on \(outcome.winnerBranch ?? "its branch").")
            out.append(contentsOf: hint.split(separator: "\n").map { "  " + $0 })
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
                if entry.changesTests { facts.append("changes tests") }
                if entry.noChange { facts.append("no change") }
                if !entry.eligible { facts.append("excluded: " + Self.shortened(entry.rule, to: 90)) }
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
        case .noEligibleAnswer:
            if let candidate = answered.isEmpty ? nil : example {
                out.append(
                    "Land one anyway, by hand (it failed the gate): mg merge \(candidate) --session \(session)")
            }
        default:
            if let candidate = outcome.winner ?? (answered.isEmpty ? nil : example) {
                out.append("Merge one by hand: mg merge \(candidate) --session \(session)")
            }
        }
        if let log = outcome.diffLogPath { out.append("Diff log: \(log)") }
        if let usage, usage.inputTokens + usage.outputTokens > 0 { out.append(Self.tokens(usage)) }
        if let costLine { out.append(costLine) }
        return out
    }

    /// " 1" or "s 1 and 2".
    static func turns(_ numbers: [Int]) -> String {
        numbers.count == 1
            ? " \(numbers[0])"
            : "s " + numbers.dropLast().map(String.init).joined(separator: ", ") + " and \(numbers.last ?? 0)"
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
        let anonymous = winnerEntry.map { " (\($0.anonymousID))" } ?? ""
        return (outcome.winner ?? "?") + anonymous
    }

    /// "tests pass (4 passed), 3 of 3 votes, 3 lines changed".
    private func why() -> String {
        guard let top = winnerEntry else { return "the only answer" }
        let total = outcome.ranking.reduce(0) { $0 + $1.votes }
        var parts = [Self.tests(top), "\(top.votes) of \(total) vote\(total == 1 ? "" : "s")"]
        parts.append("\(top.diffLines) line\(top.diffLines == 1 ? "" : "s") changed")
        if top.changesTests { parts.append("changes tests") }
        return parts.joined(separator: ", ")
    }

    /// The rule that decided, and how the evidence overruled the vote when it did.
    private func decisionLines() -> [String] {
        guard let decision = outcome.decision else { return [] }
        var lines = ["Decided by: \(decision.rule)."]
        if let overruled = decision.overruled { lines.append("The evidence overruled the vote: \(overruled).") }
        return lines
    }

    private var winnerEntry: TallyEntry? {
        let anonymous = outcome.agents.first { $0.id == outcome.winner }?.anonymousID
        return outcome.ranking.first { $0.anonymousID == anonymous } ?? outcome.ranking.first
    }

    private func landing() -> String {
        guard let record = outcome.operation else {
            let branch = outcome.winnerBranch ?? "its branch"
            return "Not merged (merge mode none): it stays on \(branch)."
        }
        if let update = record.refUpdates.first, let commit = update.new {
            if update.name == "HEAD" {
                return "Landed: committed as \(commit.short) on a detached HEAD, so on no branch (\(commit.hex)). "
                    + "Keep it with `git switch -c NAME`."
            }
            let ref = update.name.replacingOccurrences(of: "refs/heads/", with: "")
            return "Landed: committed as \(commit.short) on \(ref) (\(commit.hex))."
        }
        return
            "Landed: applied to your working tree, uncommitted — review with `git diff`, commit when ready."
    }

    static func tests(_ entry: TallyEntry) -> String {
        switch entry.testsPassed {
        case true?: return "tests pass" + (entry.passedCount.map { " (\($0) passed)" } ?? "")
        case false?: return "tests fail" + (entry.failingCount.map { " (\($0) failing)" } ?? "")
        case nil: return "not tested"
        }
    }
}
