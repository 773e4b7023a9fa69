import CodingAgent
import Foundation
import Testing

@testable import Voting

@Suite struct ReviewDecisionTests {
    @Test(arguments: [
        // approvals, requests, configured, strict, unavailable → verdict, exit
        (3, 0, 3, false, false, ReviewVerdict.approve, Int32(0)),
        (2, 1, 3, false, false, .approve, 0),
        (1, 2, 3, false, false, .requestChanges, 1),
        (2, 0, 3, false, true, .approve, 0),  // one backend down cannot change a 2-of-3 majority
        (1, 0, 3, false, true, nil, 69),  // two down: their votes could decide
        (1, 1, 2, false, false, .requestChanges, 1),  // a tie asks for changes
        (2, 0, 3, true, true, nil, 69),  // strict: a missing reviewer leaves unanimity open
        (2, 1, 3, true, false, .requestChanges, 1),
        (3, 0, 3, true, false, .approve, 0),
        (0, 0, 2, false, false, nil, 1),  // nobody answered, no backend down
    ] as [(Int, Int, Int, Bool, Bool, ReviewVerdict?, Int32)])
    func theMajorityRuleDecides(
        _ c: (Int, Int, Int, Bool, Bool, ReviewVerdict?, Int32)
    ) {
        let decision = ReviewOutcome.decide(
            approvals: c.0, requests: c.1, configured: c.2, strict: c.3, anyUnavailable: c.4)
        #expect(decision.verdict == c.5)
        #expect(decision.exitCode == c.6)
    }

    @Test func findingsOfOneProblemMergeAndOthersStay() {
        let merged = FindingMerger.merge([
            ReviewFinding(path: "calc.sh", line: 1, severity: .major, text: "add() multiplies instead of adding", agents: ["a"]),
            ReviewFinding(path: "calc.sh", line: 2, severity: .critical, text: "add multiplies its arguments instead of adding", agents: ["b"]),
            ReviewFinding(path: "calc.sh", line: 40, severity: .minor, text: "add multiplies", agents: ["c"]),
            ReviewFinding(path: "README.md", line: 1, severity: .info, text: "typo in the title", agents: ["a"]),
        ])
        #expect(merged.count == 3)
        #expect(merged[0].severity == .critical && merged[0].agents == ["a", "b"] && merged[0].line == 1)
        #expect(merged.map(\.path) == ["calc.sh", "calc.sh", "README.md"])
    }

    @Test func reviewVerdictArgumentsAreCheckedForTheModel() throws {
        let good = JSONValue.object([
            "verdict": .string("request_changes"), "summary": .string("No."),
            "findings": .array([.object(["path": .string("a.swift"), "line": .number(3), "severity": .string("major"), "text": .string("crash")])]),
        ])
        let review = try AgentReview.parse(good, agent: "x")
        #expect(review.verdict == .requestChanges && review.findings.first?.location == "a.swift:3")
        #expect(throws: (any Error).self) {
            try AgentReview.parse(.object(["verdict": .string("maybe"), "summary": .string("")]), agent: "x")
        }
        #expect(throws: (any Error).self) {
            try AgentReview.parse(
                .object([
                    "verdict": .string("approve"),
                    "findings": .array([.object(["path": .string("a"), "text": .string("t"), "severity": .string("huge")])]),
                ]), agent: "x")
        }
    }
}
