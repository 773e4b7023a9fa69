/// How readily agents vote instead of producing another answer (MassGen's `voting_sensitivity`).
public enum VotingSensitivity: String, Sendable, CaseIterable, Codable {
    /// Vote as soon as an answer looks reasonable.
    case lenient
    /// Vote once an answer is correct and tested.
    case balanced
    /// Vote only for an answer that is correct, tested, minimal and clean.
    case strict
}
