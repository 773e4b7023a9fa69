import CodingAgent

/// Builds the user message an agent (re)starts with: the task, the repository overview (files,
/// test command), its own previous answer, and every other agent's latest answer under its
/// anonymous id — summary, test evidence and the diff against the base (complete when small,
/// `--stat` plus the largest hunks when large).
///
/// The text is deterministic for the same inputs (answers in the given order), so restarts and
/// tests see stable prompts; the orchestrator passes each agent its own shuffled, recorded
/// order (`BallotPlan`), so no answer is always shown first.
public struct ContextBuilder: Sendable {
    /// The prompts (restart notice, evaluation rubric).
    public var prompts: PromptLibrary
    /// How readily to vote.
    public var sensitivity: VotingSensitivity
    /// Bytes of diff shown per answer at most; each answer's budgeted patch is cut again to this.
    public var patchBudgetPerAnswer: Int
    /// The base's files and the test command, shown after the task.
    public var overview: RepositoryOverview?

    /// Creates a builder.
    public init(
        prompts: PromptLibrary, sensitivity: VotingSensitivity, patchBudgetPerAnswer: Int = 12_000,
        overview: RepositoryOverview? = nil
    ) {
        self.prompts = prompts
        self.sensitivity = sensitivity
        self.patchBudgetPerAnswer = patchBudgetPerAnswer
        self.overview = overview
    }

    /// The conversation for `me` (an anonymous id) given the current answers; the other
    /// answers appear in `order` (anonymous ids; by default sorted by id). `restart` adds the
    /// restart notice (new answers arrived while it worked); `baseline` says how the base's
    /// tests went, once known.
    public func messages(
        task: String, me: String, answers: [AnswerSnapshot], order: [String]? = nil, restart: Bool,
        baseline: TestEvidence? = nil
    ) -> [Message] {
        [.text(.user, text(task: task, me: me, answers: answers, order: order, restart: restart, baseline: baseline))]
    }

    /// The context as one text.
    public func text(
        task: String, me: String, answers: [AnswerSnapshot], order: [String]? = nil, restart: Bool,
        baseline: TestEvidence? = nil
    ) -> String {
        // Stable for the whole session first (task, repository, the base's tests), then this
        // agent, then what changes between runs: a prompt cache reuses the longest unchanged prefix.
        var out = "# Task\n\n\(task.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"
        if let overview { out += overview.text + "\n" }
        if let baseline {
            out += "Before any change, the tests on the base: \(baseline.headline).\n\n"
        }
        out += "You are \(me). Your workspace is your own git worktree; other agents work in theirs.\n\n"
        if restart { out += prompts.text(.restartNotice) + "\n\n" }
        if let mine = answers.first(where: { $0.anonymousID == me }) {
            out += "# Your previous answer (\(me), answer \(mine.iteration))\n\n"
            out += section(for: mine)
        } else {
            out += "# Your previous answer\n\nYou have not given an answer yet.\n\n"
        }
        let byID = Dictionary(answers.map { ($0.anonymousID, $0) }, uniquingKeysWith: { first, _ in first })
        let shown = (order ?? answers.map(\.anonymousID).sorted()).filter { $0 != me }.compactMap { byID[$0] }
        if shown.isEmpty {
            out +=
                "# Other agents' answers\n\nNone yet. Explore the problem independently, make your change, run the tests, then call new_answer.\n\n"
        } else {
            out += "# Other agents' answers\n\n"
            for answer in shown {
                out += "## \(answer.anonymousID) (answer \(answer.iteration))\(labels(answer))\n\n" + section(for: answer)
            }
        }
        if !answers.isEmpty {
            out += "# How to continue\n\n" + prompts.evaluation(sensitivity) + "\n\n"
            let ids = answers.map(\.anonymousID).sorted { ($0.count, $0) < ($1.count, $1) }
            out += "Answers you can vote for: \(ids.joined(separator: ", ")).\n"
        }
        return out
    }

    /// " — changes tests", " — no change" after an answer's heading.
    private func labels(_ answer: AnswerSnapshot) -> String {
        var labels: [String] = []
        if answer.noChange { labels.append("no change: says nothing needs to change") }
        if answer.testChanges.changesTests { labels.append("changes tests") }
        return labels.isEmpty ? "" : " — " + labels.joined(separator: ", ")
    }

    /// One answer: summary, tests, diff.
    func section(for answer: AnswerSnapshot) -> String {
        var out = "Summary:\n\(quoted(answer.summary))\n\n"
        if let evidence = answer.evidence {
            out += "Tests (`\(evidence.own.command)`): \(evidence.headline)\n"
            if answer.testChanges.changesTests {
                out += "It changes existing tests: \(answer.testChanges.changed.joined(separator: ", "))"
                out += evidence.judgedByOwnTests ? " (the task allows it).\n" : " (the base's versions judge it).\n"
            }
            let judged = evidence.judged
            if !judged.passed, !judged.outputTail.isEmpty {
                out += "Output (last lines):\n```\n\(judged.outputTail)\n```\n"
            }
            out += "\n"
        } else {
            out += "Tests: no test command is configured.\n\n"
        }
        out += "Diff against the base (\(answer.diffLines) changed lines):\n"
        out += "```diff\n\(clipped(answer.patch, omittedHunks: answer.omittedHunks))```\n\n"
        return out
    }

    private func clipped(_ patch: String, omittedHunks: Int) -> String {
        var text = patch
        if text.utf8.count > patchBudgetPerAnswer {
            text = String(decoding: Array(text.utf8.prefix(patchBudgetPerAnswer)), as: UTF8.self)
            text += "\n… (cut to \(patchBudgetPerAnswer) bytes; use view_answer to read files)\n"
        } else if omittedHunks > 0 {
            text += "… (\(omittedHunks) hunk(s) not shown; use view_answer to read files)\n"
        }
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    private func quoted(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).split(
            separator: "\n", omittingEmptySubsequences: false
        )
        .map { "> " + $0 }.joined(separator: "\n")
    }
}
