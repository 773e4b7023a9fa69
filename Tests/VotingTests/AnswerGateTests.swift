import Testing
import Voting

/// The gate of DESIGN §1.6a, rule by rule.
@Suite struct AnswerGateTests {
    private func run(
        passed: Bool, failing: [String] = [], passing: [String] = [], passedCount: Int? = nil, failedCount: Int? = nil,
        ran: Bool = true, timedOut: Bool = false
    ) -> TestEvidence {
        TestEvidence(
            command: "pytest", ran: ran, passed: passed, exitCode: passed ? 0 : 1, timedOut: timedOut,
            passedCount: passedCount, failedCount: failedCount ?? (passed ? 0 : failing.count), failedTests: failing,
            passedTests: passing, outputTail: "", failureReason: ran ? nil : "not found", durationMilliseconds: 1)
    }

    private func answer(_ evidence: TestEvidence) -> AnswerEvidence { AnswerEvidence(own: evidence) }

    @Test func passingTestsAreEligible() {
        let verdict = AnswerGate.verdict(
            evidence: answer(run(passed: true)), baseline: run(passed: false, failing: ["a"]), noChange: false)
        #expect(verdict == GateVerdict(eligible: true, rule: "tests pass"))
    }

    @Test func failingWhereTheBasePassesIsExcluded() {
        let verdict = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["b"])), baseline: run(passed: true), noChange: false)
        #expect(!verdict.eligible)
        #expect(verdict.rule == "tests fail (b) while they pass on the base")
    }

    @Test func partialProgressNeedsAFixAndNoRegression() {
        let base = run(passed: false, failing: ["a", "b"], passing: ["c"], passedCount: 1)
        let progress = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["b"], passing: ["a", "c"], passedCount: 2)), baseline: base,
            noChange: false)
        #expect(progress.eligible && progress.rule == "partial progress: fixes a; still failing b")
        let breaks = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["b", "c"], passing: ["a"], passedCount: 1)), baseline: base,
            noChange: false)
        #expect(!breaks.eligible && breaks.rule == "breaks c, which passed on the base")
        let none = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["a", "b"], passing: ["c"], passedCount: 1)), baseline: base,
            noChange: false)
        #expect(!none.eligible && none.rule.hasPrefix("fixes none of the tests"))
    }

    @Test func progressMustBeShownNotInferredFromSilence() {
        // "a" vanished from the failures but the runner neither names it passing nor counts more passes.
        let base = run(passed: false, failing: ["a", "b"], passedCount: 3)
        let vanished = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["b"], passedCount: 3)), baseline: base, noChange: false)
        #expect(!vanished.eligible && vanished.rule.contains("does not show them passing"))
        // Counting more passes is proof enough.
        let counted = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["b"], passedCount: 4)), baseline: base, noChange: false)
        #expect(counted.eligible)
        // A run whose summary counts more failures than it names cannot be compared test by test.
        let unnamed = AnswerGate.verdict(
            evidence: answer(run(passed: false, failing: ["b"], passedCount: 4, failedCount: 3)), baseline: base,
            noChange: false)
        #expect(!unnamed.eligible && unnamed.rule.contains("does not name every failing test"))
    }

    @Test func runsThatCouldNotFinishAreExcluded() {
        let base = run(passed: false, failing: ["a"])
        #expect(!AnswerGate.verdict(evidence: answer(run(passed: false, ran: false)), baseline: base, noChange: false).eligible)
        #expect(
            AnswerGate.verdict(evidence: answer(run(passed: false, timedOut: true)), baseline: base, noChange: false).rule
                == "tests timed out")
    }

    @Test func noChangeIsRightExactlyWhenTheBasePasses() {
        #expect(AnswerGate.verdict(evidence: answer(run(passed: true)), baseline: run(passed: true), noChange: true).eligible)
        #expect(
            !AnswerGate.verdict(
                evidence: answer(run(passed: false, failing: ["a"])), baseline: run(passed: false, failing: ["a"]),
                noChange: true
            ).eligible)
    }

    @Test func withoutATestCommandTheVotesDecide() {
        #expect(AnswerGate.verdict(evidence: nil, baseline: nil, noChange: false).eligible)
    }

    @Test func changedTestsMayLandOnlyWhenAllowed() {
        let changes = TestChanges(changed: ["test_calc.py"])
        let refused = AnswerGate.verdict(
            evidence: answer(run(passed: true)), baseline: run(passed: false, failing: ["a"]), noChange: false,
            testChanges: changes)
        #expect(!refused.eligible && refused.rule.hasPrefix("changes existing tests (test_calc.py)"))
        let allowed = AnswerGate.verdict(
            evidence: AnswerEvidence(own: run(passed: true), judgedByOwnTests: true),
            baseline: run(passed: false, failing: ["a"]), noChange: false, testChanges: changes, allowTestChanges: true)
        #expect(allowed == GateVerdict(eligible: true, rule: "its own tests pass"))
        // Added test files alone are fine.
        #expect(
            AnswerGate.verdict(
                evidence: answer(run(passed: true)), baseline: nil, noChange: false,
                testChanges: TestChanges(added: ["test_new.py"])
            ).eligible)
    }

    @Test func theBasesTestsJudgeWhenTheAnswerTouchedTests() {
        // Its own (weakened) tests pass; the base's tests over its code fail.
        let evidence = AnswerEvidence(own: run(passed: true), baseTests: run(passed: false, failing: ["a"]))
        #expect(evidence.judged.passed == false)
        #expect(evidence.headline.hasPrefix("base's tests: failed"))
        let verdict = AnswerGate.verdict(evidence: evidence, baseline: run(passed: false, failing: ["a"]), noChange: false)
        #expect(!verdict.eligible)
    }
}
