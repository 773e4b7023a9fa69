/// What an answer did to the repository's test files (`TestFileRules`), against the base.
public struct TestChanges: Sendable, Hashable, Codable {
    /// Existing test files it modified or deleted ("changes tests").
    public var changed: [String] = []
    /// Test files it added.
    public var added: [String] = []

    /// Creates the changes.
    public init(changed: [String] = [], added: [String] = []) {
        self.changed = changed
        self.added = added
    }

    /// True when it modified or deleted an existing test file.
    public var changesTests: Bool { !changed.isEmpty }
    /// Every test file it touched.
    public var all: [String] { changed + added }
}

/// Everything the tests showed about one answer: its own tests (run in its worktree) and, when
/// it touched test files, the base's tests run against its code.
public struct AnswerEvidence: Sendable, Hashable, Codable {
    /// The test command in the answer's worktree: its code with its own tests.
    public var own: TestEvidence
    /// The base's test files restored over the answer (and tests it added left out), run in a
    /// scratch checkout; `nil` when the answer touched no test file, so `own` is that run.
    public var baseTests: TestEvidence?
    /// True when the task allows test changes: the answer's own tests judge it.
    public var judgedByOwnTests: Bool

    /// Creates evidence.
    public init(own: TestEvidence, baseTests: TestEvidence? = nil, judgedByOwnTests: Bool = false) {
        self.own = own
        self.baseTests = baseTests
        self.judgedByOwnTests = judgedByOwnTests
    }

    /// The run the gate and the ranking use: the base's tests against the answer's code, unless
    /// test changes are allowed.
    public var judged: TestEvidence { judgedByOwnTests ? own : (baseTests ?? own) }

    /// One line for ballots and logs: the judged result, then the answer's own tests when they differ.
    public var headline: String {
        guard let baseTests, !judgedByOwnTests else { return own.headline }
        var text = "base's tests: " + baseTests.headline
        text += "; its own tests: " + own.headline
        return text
    }
}
