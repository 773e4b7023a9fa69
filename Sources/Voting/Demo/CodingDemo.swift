import CodingAgent
import Foundation
import GitWorkspace

/// `mg demo`: a sample Python repository with a real bug and a failing test, and three scripted
/// agents — one right fix, one wrong, one partial — for the real `mg fix` machinery.
///
/// Nothing here is faked but the model: the agents' recorded turns drive the same `AgentLoop`,
/// tools, worktrees, commits, test runs, votes and merge as a real session. The scripts are
/// built in code (no files to ship) and use `await_context` so every run ends the same way:
/// each agent votes only once its context shows all three answers.
public enum CodingDemo {
    /// The task the demo gives the agents.
    public static let task =
        "mean() in stats.py is wrong: mean([1, 2]) returns 1 and mean([]) crashes. Make `sh test.sh` pass."

    /// The test command the demo uses (also what the agents run).
    public static let testCommand = "sh test.sh"

    /// The sample project, path → content.
    public static let files: [String: String] = [
        "stats.py": """
        \"\"\"Small statistics helpers.\"\"\"


        def mean(values):
            \"\"\"The arithmetic mean of values; 0.0 for an empty list.\"\"\"
            return sum(values) // len(values)


        def total(values):
            \"\"\"The sum of values.\"\"\"
            return sum(values)

        """,
        "test_stats.py": """
        \"\"\"The tests of stats.py, printed as TAP so any runner can read them.\"\"\"
        from stats import mean, total

        CHECKS = [
            ("mean of whole numbers", lambda: mean([2, 4, 6]) == 4),
            ("mean keeps fractions", lambda: mean([1, 2]) == 1.5),
            ("mean of nothing is 0", lambda: mean([]) == 0.0),
            ("total", lambda: total([1, 2, 3]) == 6),
        ]

        failed = 0
        print(f"1..{len(CHECKS)}")
        for number, (name, check) in enumerate(CHECKS, 1):
            try:
                ok, note = check(), ""
            except Exception as error:  # a crash is a failure, not the end of the run
                ok, note = False, f"  # {type(error).__name__}: {error}"
            print(f"{'ok' if ok else 'not ok'} {number} - {name}{note}")
            failed += 0 if ok else 1
        print(f"# pass {len(CHECKS) - failed}")
        print(f"# fail {failed}")
        raise SystemExit(1 if failed else 0)

        """,
        "test.sh": """
        #!/bin/sh
        # Runs the tests; no bytecode files so nothing but source ever changes.
        PYTHONDONTWRITEBYTECODE=1 exec python3 test_stats.py

        """,
        ".gitignore": "__pycache__/\n",
        "README.md": "# stats\n\nA tiny module with a bug. Run `sh test.sh`.\n",
    ]

    /// Creates the sample repository in a new folder under `parent` (one commit on `main`, a
    /// failing test); returns its path.
    public static func createRepository(in parent: String) throws(GitWorkspaceError) -> String {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: parent, isDirectory: &isFolder), isFolder.boolValue else {
            let what = fm.fileExists(atPath: parent) ? "is not a folder" : "does not exist"
            throw .invalidArgument("\(parent) \(what). Pass an existing, writable folder with --directory.")
        }
        let root = (parent as NSString).appendingPathComponent(
            "mg-demo-\(getpid())-\(UInt16.random(in: .min ... .max))")
        do {
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            for (path, content) in files {
                try content.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
            }
        } catch {
            throw .invalidArgument(
                "Could not create the demo repository in \(parent): \(error.localizedDescription) Pass a writable folder with --directory."
            )
        }
        try SampleRepository.create(at: root, message: "stats: mean() and total()\n")
        return root
    }

    /// The three scripted agents, in configuration order, for a session whose blind ballots
    /// come from `ballotSeed` (their votes name `careful`'s anonymous id under that seed).
    public static func agents(meter: CostMeter? = nil, ballotSeed: UInt64) -> [AgentSpec] {
        let careful = BallotPlan(agentCount: 3, seed: ballotSeed).anonymousIDs[0]
        return scripts(carefulID: careful).map { id, turns in
            AgentSpec(
                id: id,
                backend: ScriptedBackend(
                    script: ScriptedScript(chunkSize: 24, turns: turns), source: "demo:\(id)"),
                model: "scripted-demo", costMeter: meter, price: .free)
        }
    }

    /// Settings for the demo session: the test command, quick limits, a squash merge, and the
    /// blind ballots' seed (the agents' scripts must be built from the same one).
    public static func settings(sessionID: String? = nil, ballotSeed: UInt64) -> OrchestratorSettings {
        var settings = OrchestratorSettings(
            testCommand: .command(testCommand), testTimeout: .seconds(60), mergeMode: .squash,
            orchestratorTimeout: .seconds(120), maxStepsPerRun: 200, sessionID: sessionID,
            commandSettings: CommandSettings(defaultTimeout: .seconds(60)))
        settings.ballotSeed = ballotSeed
        return settings
    }
}
