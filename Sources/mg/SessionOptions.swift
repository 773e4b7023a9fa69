import ArgumentParser
import GitWorkspace
import Voting

/// The options every command that runs agents takes (`fix`, `continue`).
struct SessionOptions: ParsableArguments {
    @Option(help: "The config file (default: .massgen/config.yaml, then $XDG_CONFIG_HOME/mg/config.yaml).")
    var config: String?

    @Option(help: "Number of agents (replicates or trims the configured ones).")
    var agents: Int?

    @Option(help: "The test command run in each candidate worktree (default: detected).")
    var test: String?

    @Flag(name: .customLong("no-tests"), help: "Run no tests: answers are judged by votes alone.")
    var noTests = false

    @Option(help: "How the winner lands: squash, apply, no-ff or none.")
    var merge: MergeMode?

    @Option(help: "Stop after this many seconds (default 1800).")
    var timeout: Double?

    @Option(
        name: .customLong("agent-timeout"),
        help: "Drop an agent after this many seconds; the others go on (default: no limit but --timeout).")
    var agentTimeout: Double?

    @Option(name: .customLong("max-cost"), help: "Stop starting new model turns once this many USD are spent.")
    var maxCost: Double?

    @Flag(
        name: .customLong("allow-test-changes"),
        help: "The task may change existing tests: they are not protected, and each answer's own tests judge it.")
    var allowTestChanges = false

    /// What these options override in the configuration.
    var overrides: SessionOverrides {
        SessionOverrides(
            testCommand: noTests ? "" : test, mergeMode: merge, timeoutSeconds: timeout, agentTimeoutSeconds: agentTimeout,
            maxCostUSD: maxCost, allowTestChanges: allowTestChanges ? true : nil)
    }

    func validate() throws {
        if let test, test.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--test needs a command, e.g. --test \"swift test\"; to run no tests, pass --no-tests.")
        }
        if noTests, test != nil {
            throw ValidationError("--test and --no-tests contradict each other; pass one of them.")
        }
        for (name, value) in [("--timeout", timeout), ("--agent-timeout", agentTimeout), ("--max-cost", maxCost)] {
            guard let value else { continue }
            guard value.isFinite, value > 0 else {
                throw ValidationError("\(name) must be a number above 0, not \(value.formatted()).")
            }
        }
    }
}
