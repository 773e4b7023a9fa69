import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Voting

/// A tiny repository with a bug and a shell test suite, so scenarios need no toolchain:
/// `calc.sh` defines `add` (which subtracts), `test.sh` runs two TAP-style checks.
enum CalculatorFixture {
    static let buggy = "add() { echo $(($1 - $2)); }\nmul() { echo $(($1 * $2)); }\n"
    static let testScript = """
        #!/bin/sh
        . ./calc.sh || { echo "not ok 1 - calc.sh loads"; exit 2; }
        status=0
        if [ "$(add 2 3)" = "5" ]; then echo "ok 1 - add"; else echo "not ok 1 - add"; status=1; fi
        if [ "$(mul 2 3)" = "6" ]; then echo "ok 2 - mul"; else echo "not ok 2 - mul"; status=1; fi
        exit $status

        """

    /// A committed repository with the bug.
    static func repository() throws -> TemporaryRepository {
        let repository = try TemporaryRepository()
        try repository.write("calc.sh", buggy)
        try repository.write("test.sh", testScript)
        try repository.write("README.md", "A calculator.\n")
        try repository.commitAll("initial")
        return repository
    }

    /// The correct one-line fix.
    static let correctFix = Turn.edit("calc.sh", "$1 - $2", "$1 + $2")
    /// A wrong fix: tests still fail.
    static let wrongFix = Turn.edit("calc.sh", "$1 - $2", "$1 * $2")
    /// Breaks the script so the tests cannot even load it.
    static let breakingChange = Turn.write("calc.sh", "add() { echo $(( $1 + ; }\nmul( {\n")

    /// A blind-ballot seed under which `agentN` is the N-th configured agent (for up to five
    /// agents), so scripts can name answers by position; `BallotPlanTests` checks it, and other
    /// seeds permute the ids.
    static let positionalBallotSeed: UInt64 = 10760

    /// Settings for tests: `sh test.sh` as the test command, fixed session id, quick limits,
    /// positional anonymous ids.
    static func settings(session: String = "20260101-000000-test", mergeMode: MergeMode? = nil)
        -> OrchestratorSettings
    {
        var settings = OrchestratorSettings(
            testCommand: .command("sh test.sh"), testTimeout: .seconds(30), mergeMode: mergeMode,
            orchestratorTimeout: .seconds(60), maxStepsPerRun: 400, sessionID: session,
            commandSettings: CommandSettings(defaultTimeout: .seconds(30)))
        settings.ballotSeed = positionalBallotSeed
        return settings
    }

    static func agent(_ id: String, _ turns: [ScriptedTurn], gate: GatedScriptBackend.Gate? = nil)
        -> AgentSpec
    {
        AgentSpec(id: id, backend: GatedScriptBackend(turns, gate: gate), model: "scripted")
    }
}
