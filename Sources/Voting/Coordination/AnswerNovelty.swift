/// How different a new answer must be from the other agents' current answers (MassGen's
/// `answer_novelty_requirement`). MassGen compares answer texts by word overlap; mg compares
/// the changes themselves (`ChangeSimilarity`, the score of the session's similarity matrix), so
/// an agent cannot re-submit another agent's fix as its own and must vote for it instead. An
/// agent's own previous answer is not a rival: refining it is always allowed (an unchanged
/// worktree is refused at every level).
public enum AnswerNovelty: String, Sendable, CaseIterable, Codable {
    /// No similarity check (MassGen's default).
    case lenient
    /// Refused above 70% similarity to another agent's current answer.
    case balanced
    /// Refused above 50% similarity.
    case strict

    /// The similarity above which a new answer is refused (`nil`: no check).
    public var threshold: Double? {
        switch self {
        case .lenient: nil
        case .balanced: 0.70
        case .strict: 0.50
        }
    }
}
