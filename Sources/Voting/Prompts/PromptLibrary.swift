import Foundation

/// The prompts agents see, from `prompts/` (embedded into the binary by
/// `scripts/embed-resources`), each overridable per project by `.massgen/prompts/<name>.md`.
public struct PromptLibrary: Sendable, Hashable {
    /// The prompts, by file stem.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        /// The system prompt of coding agents.
        case system
        /// Voting rubric, lenient sensitivity.
        case evaluationLenient = "evaluation-lenient"
        /// Voting rubric, balanced sensitivity.
        case evaluationBalanced = "evaluation-balanced"
        /// Voting rubric, strict sensitivity.
        case evaluationStrict = "evaluation-strict"
        /// Shown when an agent restarts because new answers arrived.
        case restartNotice = "restart-notice"
        /// Asks for a commit message for the winning change.
        case finalSummary = "final-summary"
        /// The system prompt of `mg review`'s reviewers.
        case review
        /// The instructions CLI and framework agents get with the task (they have their own
        /// system prompts).
        case externalAgent = "external-agent"
    }

    private let texts: [Name: String]

    /// The embedded prompts.
    public static let embedded = PromptLibrary(overrides: [:])

    /// The embedded prompts with `overrides` (name → text) replacing some.
    public init(overrides: [Name: String]) {
        var texts: [Name: String] = [:]
        for name in Name.allCases {
            let text = overrides[name] ?? EmbeddedPrompts.files[name.rawValue + ".md"] ?? ""
            texts[name] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        self.texts = texts
    }

    /// The embedded prompts, overridden by any `<repositoryRoot>/.massgen/prompts/<name>.md`.
    public static func forProject(repositoryRoot: String) -> PromptLibrary {
        var overrides: [Name: String] = [:]
        for name in Name.allCases {
            let path = repositoryRoot + "/.massgen/prompts/" + name.rawValue + ".md"
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { overrides[name] = text }
        }
        return PromptLibrary(overrides: overrides)
    }

    /// The text of one prompt.
    public func text(_ name: Name) -> String { texts[name] ?? "" }

    /// The voting rubric for `sensitivity`.
    public func evaluation(_ sensitivity: VotingSensitivity) -> String {
        switch sensitivity {
        case .lenient: return text(.evaluationLenient)
        case .balanced: return text(.evaluationBalanced)
        case .strict: return text(.evaluationStrict)
        }
    }
}
