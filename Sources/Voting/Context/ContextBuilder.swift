import CodingAgent

/// Builds the user message an agent (re)starts with: the task, the repository overview (files,
/// test command), its own previous answer, and every other agent's latest answer under its
/// anonymous id — summary, test evidence and the diff against the base (complete when small,
/// `--stat` plus the largest hunks when large).
///
/// The text is deterministic for the same inputs (answers in configuration order), so restarts
/// and tests see stable prompts.
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

    /// The conversation for `self` (an anonymous id) given the current answers.
    /// `restart` adds the restart notice (new answers arrived while it worked).
    public func messages(task: String, me: String, answers: [AnswerSnapshot], restart: Bool) -> [Message] {
        [.text(.user, text(task: task, me: me, answers: answers, restart: restart))]
    }

    /// The context as one text.
    public func text(task: String, me: String, answers: [AnswerSnapshot], restart: Bool) -> String {
        // Stable for the whole session first (task, repository), then this agent, then what
        // changes between runs: a prompt cache reuses the longest unchanged prefix.
        var out = "# Task\n\n\(task.trimmingCharacters(in: .whitespacesAndNewlines))\n\n"
        if let overview { out += overview.text + "\n" }
        out += "You are \(me). Your workspace is your own git worktree; other agents work in theirs.\n\n"
        if restart { out += prompts.text(.restartNotice) + "\n\n" }
        let sorted = answers.sorted { $0.configIndex < $1.configIndex }
        if let mine = sorted.first(where: { $0.anonymousID == me }) {
            out += "# Your previous answer (\(me), answer \(mine.iteration))\n\n"
            out += section(for: mine)
        } else {
            out += "# Your previous answer\n\nYou have not given an answer yet.\n\n"
        }
        let others = sorted.filter { $0.anonymousID != me }
        if others.isEmpty {
            out +=
                "# Other agents' answers\n\nNone yet. Explore the problem independently, make your change, run the tests, then call new_answer.\n\n"
        } else {
            out += "# Other agents' answers\n\n"
            for answer in others {
                out += "## \(answer.anonymousID) (answer \(answer.iteration))\n\n" + section(for: answer)
            }
        }
        if !sorted.isEmpty {
            out += "# How to continue\n\n" + prompts.evaluation(sensitivity) + "\n\n"
            out += "Answers you can vote for: \(sorted.map(\.anonymousID).joined(separator: ", ")).\n"
        }
        return out
    }

    /// One answer: summary, tests, diff.
    func section(for answer: AnswerSnapshot) -> String {
        var out = "Summary:\n\(quoted(answer.summary))\n\n"
        if let evidence = answer.evidence {
            out += "Tests (`\(evidence.command)`): \(evidence.headline)\n"
            if !evidence.passed, !evidence.outputTail.isEmpty {
                out += "Output (last lines):\n```\n\(evidence.outputTail)\n```\n"
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
