import CodingAgent
import Foundation
import GitWorkspace

/// How a session runs: evidence, merge, limits. Defaults follow MassGen and DESIGN.md.
public struct OrchestratorSettings: Sendable {
    /// Where the test command comes from.
    public enum TestCommand: Sendable, Hashable {
        /// Detect it from the repository (`TestCommandDetector`).
        case detect
        /// Use this shell command.
        case command(String)
        /// Gather no test evidence.
        case none
    }

    /// What happens to agent worktrees at the end.
    public enum WorktreeCleanup: Sendable, Hashable {
        /// Remove them; `WorktreeManager.remove` first commits leftovers and checks the work is on the branch.
        case remove
        /// Unlock them and leave them for review (`mg clean` removes them later).
        case keep
    }

    /// The test command.
    public var testCommand: TestCommand
    /// Time allowed for one test run.
    public var testTimeout: Duration
    /// Merge mode; `nil` means `MergeMode.defaultMode(for: base)`.
    public var mergeMode: MergeMode?
    /// Answers one agent may give (`max_new_answers_per_agent`); `nil`: no limit.
    public var maxNewAnswersPerAgent: Int?
    /// How readily agents vote.
    public var votingSensitivity: VotingSensitivity
    /// The whole coordination round's time limit (MassGen `orchestrator_timeout_seconds`, 1800 s).
    public var orchestratorTimeout: Duration
    /// One agent's time limit; it is dropped when it passes (`nil`: only the orchestrator timeout).
    public var agentTimeout: Duration?
    /// Session spend in USD after which no new model turn starts (`nil`: no ceiling).
    public var costCeilingUSD: Double?
    /// Model calls per agent run (between restarts).
    public var maxStepsPerRun: Int
    /// Session id; generated (`20261125-153012-ab12`) when `nil`.
    public var sessionID: String?
    /// How `run_command` and the tests run (sandbox, output cap, network).
    public var commandSettings: CommandSettings
    /// Bytes of each answer's diff shown to other agents.
    public var patchBudgetPerAnswer: Int
    /// Worktrees at the end.
    public var worktreeCleanup: WorktreeCleanup
    /// Wait this long for another mg's repository lock (`nil`: fail at once).
    public var lockWait: Duration?
    /// Prompts; `nil` loads the embedded ones with the project's `.massgen/prompts/` overrides.
    public var prompts: PromptLibrary?
    /// Start every agent from this commit instead of capturing the working state (`mg continue`
    /// after a turn whose winner was not merged). Merge-back still targets the current branch and
    /// lands the change from this commit to the winner; `nil`: capture the working state.
    public var startCommit: ObjectID?
    /// Agents whose worktree starts from an earlier run's work (`mg continue --resume`): right
    /// after the worktrees exist, each listed agent's worktree gets the files of its commit as
    /// uncommitted changes on the base (so its next answer includes that work). Agents not listed
    /// start from the base.
    public var agentStartCommits: [String: ObjectID] = [:]
    /// Media parts (`--image`, `upload_files`, earlier turns' attachments) appended to the user
    /// message every agent run starts with, after the task text; each backend encodes them.
    public var attachments: [ContentPart] = []
    /// How eligible answers are ordered (`orchestrator.voting_policy`); the gate holds under both.
    public var votingPolicy: VotingPolicy = .evidenceFirst
    /// Commands that must also pass on the winner before it lands (`orchestrator.gate_commands`),
    /// run in order on a checkout of its commit; the first failure excludes it.
    public var gateCommands: [String] = []
    /// Extra globs of test files (`orchestrator.test_paths`), added to the frameworks' rules.
    public var testPaths: [String] = []
    /// The task may change tests (`orchestrator.allow_test_changes`, `--allow-test-changes`):
    /// existing test files are not protected and an answer's own tests judge it.
    public var allowTestChanges = false
    /// Paths agents may not change (`protected_paths`), added to mg's defaults.
    public var protectedPaths: [String] = []
    /// The task as the user typed it, shown in `session_started` when the agents' task carries
    /// more (a later turn's restored history); `nil`: the task itself.
    public var userTask: String?
    /// Where the winner lands from when earlier turns of the session were not landed (their
    /// winners stayed on their branches and this turn builds on them): the base of the earliest
    /// of those turns. The merge-back then lands the whole chain — provided the user's branch
    /// and files are still as they were then. `nil`: from this turn's base.
    public var landingBase: ObjectID?
    /// The earlier turns whose changes the landing carries (with `landingBase`).
    public var carriedTurns: [Int] = []
    /// Seed of the blind ballots (anonymous ids, answer order); random when `nil`. Recorded
    /// with the turn, so a run can be replayed with the same ballots.
    public var ballotSeed: UInt64?
    /// How different a new answer must be from the other agents' current answers
    /// (`orchestrator.answer_novelty_requirement`).
    public var answerNovelty: AnswerNovelty = .lenient
    /// MassGen's planning mode: MCP server tools are not offered and every agent is told to
    /// describe such actions instead (`orchestrator.coordination.enable_planning_mode`).
    public var planningMode: PlanningMode?
    /// Only the first agent runs and its first accepted answer is the result, without voting
    /// (`orchestrator.skip_coordination_rounds`); the tests and gate still decide whether it lands.
    public var skipCoordinationRounds = false
    /// MassGen's `context_paths` for this repository: read-only folders, write scopes, and the
    /// write paths outside the repository that get a copy per agent.
    public var contextPaths = ContextPathPlan()

    /// Creates settings with MassGen's defaults.
    public init(
        testCommand: TestCommand = .detect, testTimeout: Duration = .seconds(600),
        mergeMode: MergeMode? = nil,
        maxNewAnswersPerAgent: Int? = nil, votingSensitivity: VotingSensitivity = .balanced,
        orchestratorTimeout: Duration = .seconds(1800), agentTimeout: Duration? = nil,
        costCeilingUSD: Double? = nil,
        maxStepsPerRun: Int = 50, sessionID: String? = nil,
        commandSettings: CommandSettings = CommandSettings(),
        patchBudgetPerAnswer: Int = 12_000, worktreeCleanup: WorktreeCleanup = .remove,
        lockWait: Duration? = nil,
        prompts: PromptLibrary? = nil
    ) {
        self.testCommand = testCommand
        self.testTimeout = testTimeout
        self.mergeMode = mergeMode
        self.maxNewAnswersPerAgent = maxNewAnswersPerAgent
        self.votingSensitivity = votingSensitivity
        self.orchestratorTimeout = orchestratorTimeout
        self.agentTimeout = agentTimeout
        self.costCeilingUSD = costCeilingUSD
        self.maxStepsPerRun = maxStepsPerRun
        self.sessionID = sessionID
        self.commandSettings = commandSettings
        self.patchBudgetPerAnswer = patchBudgetPerAnswer
        self.worktreeCleanup = worktreeCleanup
        self.lockWait = lockWait
        self.prompts = prompts
    }

    /// A new session id: local date and time plus 4 random hex digits, e.g. `20261125-153012-ab12`.
    public static func generateSessionID(date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let suffix = String(format: "%04x", UInt16.random(in: .min ... .max))
        return
            "\(c.year ?? 0)\(two(c.month))\(two(c.day))-\(two(c.hour))\(two(c.minute))\(two(c.second))-\(suffix)"
    }
}
