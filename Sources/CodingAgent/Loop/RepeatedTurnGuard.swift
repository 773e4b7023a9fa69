/// Notices a model repeating itself — the same tool, the same arguments, the same result —
/// which small local models do until the session times out (Qwen2.5-Coder-0.5B: `edit_file`
/// with identical `old_string` and `new_string`, turn after turn; the 1.5B: `read_file` of the
/// same unchanged file, or the same rejected answer).
///
/// Calls are compared by tool, arguments (as sorted JSON) and result. Two rules, each corrects
/// once and then ends the loop (`AgentLoopOutcome.repeatedFailure` when the calls failed,
/// `.repeatedCall` when they succeeded, so the agent leaves with its committed answers):
/// - the same turn `warnAfter` times in a row gets the corrective message; once more ends it;
/// - one call (other than `run_command`, whose unchanged output after an edit is news) made
///   `warnAfter + 1` times in the run, in any order, gets it too; once more ends it.
struct RepeatedTurnGuard {
    /// What the loop should do after a turn.
    enum Verdict: Equatable {
        case proceed
        case correct(String)
        case giveUp(tool: String, error: String?, times: Int)
    }

    let warnAfter: Int
    private var signature: [String]?
    private var times = 0
    private var seen: [String: Int] = [:]
    private var corrected: Set<String> = []

    init(warnAfter: Int) {
        self.warnAfter = max(2, warnAfter)
    }

    mutating func observe(_ executed: [ToolCallExecutor.Executed]) -> Verdict {
        // The scripted backend's waiting turns poll on purpose.
        if !executed.isEmpty, executed.allSatisfy({ $0.call.id.hasPrefix(ScriptedBackend.waitingCallPrefix) }) {
            return .proceed
        }
        guard let first = executed.first else {
            signature = nil
            times = 0
            return .proceed
        }
        let failed = executed.allSatisfy(\.outcome.isError)
        let current = executed.map(Self.signature)
        times = current == signature ? times + 1 : 1
        signature = current
        let turnKey = current.joined(separator: "\u{1}")
        if times > warnAfter, corrected.contains(turnKey) {
            return .giveUp(tool: first.call.name, error: failed ? first.outcome.text : nil, times: times)
        }
        if times == warnAfter {
            corrected.insert(turnKey)
            return .correct(Self.correction(first, times: times, failed: failed))
        }
        for (call, key) in zip(executed, current) where call.call.name != "run_command" {
            seen[key, default: 0] += 1
            let count = seen[key] ?? 0
            if count > warnAfter + 1, corrected.contains(key) {
                return .giveUp(tool: call.call.name, error: call.outcome.isError ? call.outcome.text : nil, times: count)
            }
            if count == warnAfter + 1 {
                corrected.insert(key)
                return .correct(Self.correction(call, times: count, failed: call.outcome.isError))
            }
        }
        return .proceed
    }

    mutating func reset() {
        signature = nil
        times = 0
        seen = [:]
        corrected = []
    }

    static func signature(_ call: ToolCallExecutor.Executed) -> String {
        let arguments = JSONValue.parseArguments(call.call.arguments)?.jsonText ?? call.call.arguments
        return call.call.name + "\u{0}" + arguments + "\u{0}" + (call.outcome.isError ? "E" : "S") + call.outcome.text
    }

    static func correction(_ call: ToolCallExecutor.Executed, times: Int, failed: Bool) -> String {
        if failed {
            return "You have made the same \(call.call.name) call \(times) times and it failed the same way each time: "
                + "\"\(call.outcome.text.prefix(200))\". Repeating it will not work, and if you repeat it again your turn ends. "
                + "Do something different: read the file to see its current text, change your arguments, or finish with the "
                + "tools that end your turn."
        }
        return "You have made the same \(call.call.name) call \(times) times and got the same result each time; "
            + "repeating it will not tell you anything new, and if you repeat it again your turn ends. Use what you "
            + "already have: make your change, run the tests, or finish with the tools that end your turn."
    }
}
