/// Notices a model stuck on one failing call — the same tool, the same arguments, the same
/// error, turn after turn — which small local models do (e.g. `edit_file` with identical
/// `old_string` and `new_string` until the round times out).
///
/// A turn counts when every call in it failed; any success, or any difference in a call or its
/// error, starts the count again. At `warnAfter` identical failing turns in a row the model gets
/// one corrective message; at `warnAfter * 2` the loop gives up (`AgentLoopOutcome.repeatedFailure`),
/// so a stuck agent is dropped in seconds instead of holding the round until its timeout.
struct RepeatedFailureGuard {
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
        guard !executed.isEmpty, executed.allSatisfy(\.outcome.isError), let first = executed.first else {
            reset()
            return .proceed
        }
        let current = executed.map { call -> String in
            let arguments = JSONValue.parseArguments(call.call.arguments)?.jsonText ?? call.call.arguments
            return call.call.name + "\u{0}" + arguments + "\u{0}" + call.outcome.text
        }
        times = current == signature ? times + 1 : 1
        signature = current
        if times >= warnAfter * 2 {
            return .giveUp(tool: first.call.name, error: first.outcome.text, times: times)
        }
        if times == warnAfter {
            return .correct(
                "You have made the same \(first.call.name) call \(times) times in a row and it failed the same way each time: "
                    + "\"\(first.outcome.text.prefix(200))\". Repeating it will not work. Do something different: "
                    + "read the file to see its current text, change your arguments, or finish with the tools that end your turn.")
        }
        return .proceed
    }

    mutating func reset() {
        signature = nil
        times = 0
    }
}
