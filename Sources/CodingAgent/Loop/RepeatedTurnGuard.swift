/// Notices a model repeating one turn — the same tool, the same arguments, the same result,
/// turn after turn — which small local models do (e.g. `edit_file` with identical
/// `old_string` and `new_string` until the round times out).
///
/// Turns are compared by their calls (tool, arguments as sorted JSON) and results; any
/// difference starts the count again. At `warnAfter` identical turns in a row the model gets one
/// corrective message. When every call of those turns failed, `warnAfter * 2` of them end the
/// loop (`AgentLoopOutcome.repeatedFailure`), so a stuck agent is dropped in seconds instead of
/// holding the round until its timeout. Identical successful turns (re-reading the same file)
/// only get the message: polling can be legitimate, and the step limit still applies.
struct RepeatedTurnGuard {
    /// What the loop should do after a turn.
    enum Verdict: Equatable {
        case proceed
        case correct(String)
        case giveUp(tool: String, error: String, times: Int)
    }

    let warnAfter: Int
    private var signature: [String]?
    private var times = 0

    init(warnAfter: Int) {
        self.warnAfter = max(2, warnAfter)
    }

    mutating func observe(_ executed: [ToolCallExecutor.Executed]) -> Verdict {
        guard let first = executed.first else {
            reset()
            return .proceed
        }
        let failed = executed.allSatisfy(\.outcome.isError)
        let current = executed.map { call -> String in
            let arguments = JSONValue.parseArguments(call.call.arguments)?.jsonText ?? call.call.arguments
            return call.call.name + "\u{0}" + arguments + "\u{0}" + (call.outcome.isError ? "E" : "S") + call.outcome.text
        }
        times = current == signature ? times + 1 : 1
        signature = current
        if failed && times >= warnAfter * 2 {
            return .giveUp(tool: first.call.name, error: first.outcome.text, times: times)
        }
        guard times == warnAfter else { return .proceed }
        if failed {
            return .correct(
                "You have made the same \(first.call.name) call \(times) times in a row and it failed the same way each time: "
                    + "\"\(first.outcome.text.prefix(200))\". Repeating it will not work. Do something different: "
                    + "read the file to see its current text, change your arguments, or finish with the tools that end your turn.")
        }
        return .correct(
            "You have made the same \(first.call.name) call \(times) times in a row and got the same result each time; "
                + "repeating it will not tell you anything new. Use what you already have: make your change, run the tests, "
                + "or finish with the tools that end your turn.")
    }

    mutating func reset() {
        signature = nil
        times = 0
    }
}
