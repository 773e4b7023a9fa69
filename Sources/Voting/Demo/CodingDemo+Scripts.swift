import CodingAgent

/// The demo agents' recorded turns. Each agent explores, edits, (maybe) tests and answers; then
/// it votes once its context lists all three answers (`await_context`), so the outcome never
/// depends on which agent happens to be fastest.
extension CodingDemo {
    /// What every vote turn waits for: the context's list of answers to vote on is complete.
    static let allAnswersVisible = ScriptedContextCondition([
        "Answers you can vote for: agent1, agent2, agent3."
    ])

    /// The recorded turns of `careful`, `hasty` and `partial`, voting for `careful`'s answer
    /// under the anonymous id the session's blind ballot gives it.
    static func scripts(carefulID: String) -> [(String, [ScriptedTurn])] {
        [("careful", rightFix(carefulID)), ("hasty", wrongFix(carefulID)), ("partial", partialFix(carefulID))]
    }

    static let buggyLine = "    return sum(values) // len(values)"

    /// `careful`: runs the tests, reads the code, fixes both problems, re-runs the tests.
    static func rightFix(_ careful: String) -> [ScriptedTurn] {
        [
            turn(
                "Let me see what fails first.", call("run_command", ["command": "sh test.sh"]),
                tokens: (900, 30)),
            turn(
                "Two failures: floor division, and a crash on []. Reading stats.py.",
                call("read_file", ["path": "stats.py"]), tokens: (1300, 25)),
            turn(
                "Use true division and handle the empty list.",
                call(
                    "edit_file",
                    [
                        "path": "stats.py", "old_string": buggyLine,
                        "new_string":
                            "    if not values:\n        return 0.0\n    return sum(values) / len(values)",
                    ]), tokens: (1700, 80)),
            turn("Checking.", call("run_command", ["command": "sh test.sh"]), tokens: (2000, 20)),
            turn(
                "All four tests pass.",
                call(
                    "new_answer",
                    ["content": "mean(): true division, and 0.0 for an empty list. All 4 tests pass."]),
                tokens: (2300, 40)),
        ]
            + votes(
                careful,
                reason:
                    "\(careful) fixes both the fraction and the empty-list case; its tests pass, the others' do not."
            )
    }

    /// `hasty`: guesses at rounding without running the tests — wrong.
    static func wrongFix(_ careful: String) -> [ScriptedTurn] {
        [
            turn("Reading stats.py.", call("read_file", ["path": "stats.py"]), tokens: (1000, 20)),
            turn(
                "Rounding should make the mean come out right.",
                call(
                    "edit_file",
                    [
                        "path": "stats.py", "old_string": buggyLine,
                        "new_string": "    return round(sum(values) / len(values))",
                    ]),
                tokens: (1400, 60)),
            turn(
                "Done.",
                call(
                    "new_answer", ["content": "mean(): round the average so it comes out as a whole number."]),
                tokens: (1600, 30)),
        ] + votes(careful, reason: "\(careful) passes every test; my rounding breaks fractions and still crashes on [].")
    }

    /// `partial`: fixes the division but misses the empty list.
    static func partialFix(_ careful: String) -> [ScriptedTurn] {
        [
            turn("Running the tests.", call("run_command", ["command": "sh test.sh"]), tokens: (900, 25)),
            turn(
                "Floor division drops the fraction; use /.",
                call("edit_file", ["path": "stats.py", "old_string": " // ", "new_string": " / "]),
                tokens: (1300, 50)),
            turn("Re-running.", call("run_command", ["command": "sh test.sh"]), tokens: (1600, 20)),
            turn(
                "Good enough for now.",
                call(
                    "new_answer",
                    ["content": "mean(): use / instead of // so fractions are kept (mean([]) still fails)."]),
                tokens: (1900, 40)),
        ] + votes(careful, reason: "\(careful) also handles the empty list, which mine misses; all its tests pass.")
    }

    private static func votes(_ target: String, reason: String) -> [ScriptedTurn] {
        // Spare votes in case a restart needs another one; only the first normally plays.
        Array(
            repeating: ScriptedTurn(
                text: "Comparing the answers and their test results.",
                toolCalls: [
                    ScriptedToolCall(
                        name: "vote",
                        arguments: .object(["agent_id": .string(target), "reason": .string(reason)]))
                ],
                usage: ScriptedUsage(input: 3200, output: 45), awaitContext: allAnswersVisible,
                awaitPollMilliseconds: 60),
            count: 3)
    }

    private static func call(_ name: String, _ arguments: [String: String]) -> ScriptedToolCall {
        ScriptedToolCall(name: name, arguments: .object(arguments.mapValues { .string($0) }))
    }

    private static func turn(_ text: String, _ call: ScriptedToolCall, tokens: (Int, Int)) -> ScriptedTurn {
        // A little latency so the live view has something to show, as a real model would.
        ScriptedTurn(
            text: text, toolCalls: [call], delayMilliseconds: 150, chunkDelayMilliseconds: 5,
            usage: ScriptedUsage(input: tokens.0, output: tokens.1))
    }
}
