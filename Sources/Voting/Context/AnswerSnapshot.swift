import GitWorkspace

/// An agent's latest accepted answer, as the other agents and the tally see it.
public struct AnswerSnapshot: Sendable, Hashable {
    /// The author's configured id (never shown to other agents).
    public var agent: String
    /// The author's anonymous id (`agent1…`).
    public var anonymousID: String
    /// Position of the author in the configuration.
    public var configIndex: Int
    /// 1-based answer number of the author.
    public var iteration: Int
    /// The iteration commit.
    public var commit: ObjectID
    /// The answer text.
    public var summary: String
    /// The diff against the base, cut to the prompt budget (`BudgetedPatch.text`).
    public var patch: String
    /// Hunks left out of `patch` (0: it is the complete patch).
    public var omittedHunks: Int
    /// `git diff --stat` against the base.
    public var stat: String
    /// Lines added + removed against the base.
    public var diffLines: Int
    /// Test evidence (`nil`: no test command).
    public var evidence: AnswerEvidence?
    /// True when the answer changes nothing (the agent says nothing needs to change).
    public var noChange: Bool
    /// What it did to the test files.
    public var testChanges: TestChanges
    /// Its copies of the write context paths outside the repository, one tree per path (empty
    /// when there are none).
    public var contextTrees: [ObjectID] = []
    /// True when it changes a write context path outside the repository.
    public var changesContextPaths = false

    /// Creates a snapshot.
    public init(
        agent: String, anonymousID: String, configIndex: Int, iteration: Int, commit: ObjectID,
        summary: String,
        patch: String, omittedHunks: Int = 0, stat: String, diffLines: Int, evidence: AnswerEvidence?,
        noChange: Bool = false, testChanges: TestChanges = TestChanges()
    ) {
        self.agent = agent
        self.anonymousID = anonymousID
        self.configIndex = configIndex
        self.iteration = iteration
        self.commit = commit
        self.summary = summary
        self.patch = patch
        self.omittedHunks = omittedHunks
        self.stat = stat
        self.diffLines = diffLines
        self.evidence = evidence
        self.noChange = noChange
        self.testChanges = testChanges
    }
}
