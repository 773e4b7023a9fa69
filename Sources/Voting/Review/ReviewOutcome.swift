import Foundation

/// The end of `mg review`: every reviewer's verdict, the merged findings, and the decision.
public struct ReviewOutcome: Sendable, Hashable, Codable {
    /// The session the review was recorded as (`mg report` shows it).
    public var session: String
    /// The change: `A..B`, `staged`, or the pushed ref.
    public var range: String
    /// The commit the change starts from.
    public var baseCommit: String
    /// The commit holding the change.
    public var headCommit: String
    /// Whether unanimity was required (`--strict`).
    public var strict: Bool
    /// The decision; `nil` when none could be reached.
    public var verdict: ReviewVerdict?
    /// The exit code: 0 approved, 1 changes requested (or no verdict), 69 a backend was unavailable
    /// and the missing votes could have changed the outcome.
    public var exitCode: Int32
    /// Each reviewer that gave a verdict.
    public var reviews: [AgentReview]
    /// Reviewers whose backend was unavailable or unauthorized, with the error.
    public var unavailable: [String: String]
    /// Reviewers that ended without a verdict for another reason.
    public var failed: [String: String]
    /// Findings merged and de-duplicated across reviewers, most severe first.
    public var findings: [ReviewFinding]

    /// The rule, as pure arithmetic over the verdicts: with `n` configured reviewers, approve when
    /// more than half approve (strict: all of them); request changes when the requests reach half
    /// (strict: any request); otherwise no verdict — exit 69 when a reviewer's backend was
    /// unavailable (its vote could have decided), else 1.
    public static func decide(
        approvals: Int, requests: Int, configured: Int, strict: Bool, anyUnavailable: Bool
    ) -> (verdict: ReviewVerdict?, exitCode: Int32) {
        if strict {
            if requests > 0 { return (.requestChanges, 1) }
            if approvals == configured && configured > 0 { return (.approve, 0) }
        } else {
            if approvals * 2 > configured { return (.approve, 0) }
            if requests > 0 && requests * 2 >= configured { return (.requestChanges, 1) }
        }
        return (nil, anyUnavailable ? 69 : 1)
    }

    /// The lines `mg review` prints.
    public func rendered() -> String {
        var lines: [String] = []
        let approvals = reviews.filter { $0.verdict == .approve }.count
        let rule = strict ? "unanimity required" : "majority"
        switch verdict {
        case .approve?: lines.append("Approved (\(rule)): \(approvals) of \(reviewers) reviewers approve \(range).")
        case .requestChanges?:
            lines.append("Changes requested (\(rule)): \(reviews.count - approvals) of \(reviewers) reviewers ask for changes to \(range).")
        case nil:
            lines.append("No verdict on \(range) (\(rule)): \(reviews.count) of \(reviewers) reviewers answered.")
        }
        for review in reviews {
            lines.append("  \(review.agent): \(review.verdict.rawValue) — \(review.summary)")
        }
        for (agent, error) in unavailable.sorted(by: { $0.key < $1.key }) { lines.append("  \(agent): unavailable — \(error)") }
        for (agent, error) in failed.sorted(by: { $0.key < $1.key }) { lines.append("  \(agent): no verdict — \(error)") }
        if !findings.isEmpty {
            lines.append("Findings:")
            for finding in findings {
                lines.append("  \(finding.severity.rawValue) \(finding.location): \(finding.text) (\(finding.agents.joined(separator: ", ")))")
            }
        }
        lines.append("Report: mg report \(session)")
        return lines.joined(separator: "\n")
    }

    private var reviewers: Int { reviews.count + unavailable.count + failed.count }
}
