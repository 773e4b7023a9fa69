/// Whether an answer may land, and the rule that decided it.
public struct GateVerdict: Sendable, Hashable, Codable {
    /// True when the answer may land.
    public var eligible: Bool
    /// The rule, for reports: "tests pass", "breaks test_b, which passed on the base", …
    public var rule: String

    /// Creates a verdict.
    public init(eligible: Bool, rule: String) {
        self.eligible = eligible
        self.rule = rule
    }
}

/// The gate an answer passes before it may land (DESIGN §1.6a): its tests pass; or, when the
/// base's tests already fail, it breaks no test that passed on the base and makes at least one
/// failing test pass. "Its tests" are the judged run of `AnswerEvidence` (the base's test files
/// against the answer's code). Pure: every rule is unit-tested directly.
public enum AnswerGate {
    /// The verdict for an answer with `evidence` (`nil`: no test command) given the base's run.
    /// `noChange`: the answer says nothing needs to change (its tree is the base's). An answer
    /// that changed existing tests may land only when the task allows test changes.
    public static func verdict(
        evidence: AnswerEvidence?, baseline: TestEvidence?, noChange: Bool,
        testChanges: TestChanges = TestChanges(), allowTestChanges: Bool = false
    ) -> GateVerdict {
        let judged = judge(evidence: evidence, baseline: baseline, noChange: noChange)
        guard testChanges.changesTests, !allowTestChanges, judged.eligible else { return judged }
        return GateVerdict(
            eligible: false,
            rule: "changes existing tests (\(names(testChanges.changed))), which this task does not allow "
                + "(orchestrator.allow_test_changes, --allow-test-changes)")
    }

    private static func judge(evidence: AnswerEvidence?, baseline: TestEvidence?, noChange: Bool) -> GateVerdict {
        guard let evidence else {
            return GateVerdict(eligible: true, rule: "no test command: the votes decide")
        }
        let judged = evidence.judged
        let whose = evidence.judgedByOwnTests ? "its own tests" : "tests"
        if noChange {
            // The answer is the base: it is right exactly when the base passes.
            if baseline?.passed == true || judged.passed {
                return GateVerdict(eligible: true, rule: "nothing to change: the base's tests pass")
            }
            return GateVerdict(eligible: false, rule: "says nothing needs to change, but the tests fail on the base")
        }
        guard judged.ran else {
            return GateVerdict(eligible: false, rule: "\(whose) could not run (\(judged.failureReason ?? "unknown reason"))")
        }
        if judged.timedOut { return GateVerdict(eligible: false, rule: "\(whose) timed out") }
        if judged.passed { return GateVerdict(eligible: true, rule: "\(whose) pass") }
        guard let baseline, baseline.ran, !baseline.passed else {
            let failing = names(judged.failedTests)
            let base = baseline?.passed == true ? "they pass on the base" : "the base could not be tested to compare"
            return GateVerdict(
                eligible: false, rule: "\(whose) fail\(failing.isEmpty ? "" : " (\(failing))") while \(base)")
        }
        return partialProgress(judged, baseline: baseline, whose: whose)
    }

    /// The base fails too: eligible only with test-by-test proof of progress and no regression.
    private static func partialProgress(_ answer: TestEvidence, baseline: TestEvidence, whose: String) -> GateVerdict {
        guard answer.failuresAreNamed, baseline.failuresAreNamed else {
            return GateVerdict(
                eligible: false,
                rule: "\(whose) fail and the output does not name every failing test, so progress over the base cannot be shown")
        }
        let before = Set(baseline.failedTests)
        let after = Set(answer.failedTests)
        let broken = answer.failedTests.filter { !before.contains($0) }
        if !broken.isEmpty {
            return GateVerdict(eligible: false, rule: "breaks \(names(broken)), which passed on the base")
        }
        let fixed = baseline.failedTests.filter { !after.contains($0) }
        guard !fixed.isEmpty else {
            return GateVerdict(eligible: false, rule: "fixes none of the tests that fail on the base (\(names(answer.failedTests)))")
        }
        // A fixed test must have run and passed, not vanished (a crash, a skipped module).
        let provenByName = fixed.allSatisfy { answer.passedTests.contains($0) }
        let provenByCount =
            if let now = answer.passedCount, let then = baseline.passedCount { now >= then + fixed.count } else { false }
        guard provenByName || provenByCount else {
            return GateVerdict(
                eligible: false,
                rule: "\(names(fixed)) no longer fail, but the output does not show them passing")
        }
        return GateVerdict(
            eligible: true, rule: "partial progress: fixes \(names(fixed)); still failing \(names(answer.failedTests))")
    }

    /// Up to five names, then a count.
    static func names(_ list: [String]) -> String {
        let shown = list.prefix(5).joined(separator: ", ")
        return list.count > 5 ? shown + " and \(list.count - 5) more" : shown
    }
}
