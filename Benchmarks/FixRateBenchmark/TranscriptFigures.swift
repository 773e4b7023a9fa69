import CodingAgent
import Foundation

/// What one session's transcripts say about its model calls, read from
/// `.massgen/sessions/<session>/transcripts/*.jsonl` as `mg` recorded them.
///
/// - a **model turn** is one model call (a step of one agent-loop run);
/// - it is **valid** when it produced a call of a real tool with readable arguments, or a file
///   edit written as a code block (recorded as `write_file` / `edit_file` calls);
/// - a **parse failure** is any other turn: no call that could be read, an invented tool, JSON
///   that did not parse, or the server rejecting the model's output;
/// - **prompt time** is llama.cpp's `timings.prompt_ms`; each run's first call reads the whole
///   prompt, its follow-up calls only what the slot's KV cache does not hold.
struct TranscriptFigures: Codable, Sendable {
    var modelTurns = 0
    var validTurns = 0
    var promptTokens = 0
    var cachedTokens = 0
    var completionTokens = 0
    /// Prompt milliseconds of each run's first model call.
    var firstPromptMilliseconds: [Double] = []
    /// Prompt milliseconds of the later calls of each run.
    var followUpPromptMilliseconds: [Double] = []
    /// Prompt tokens of those calls, to see how much was read afresh.
    var firstPromptTokens: [Int] = []
    var followUpPromptTokens: [Int] = []
    /// Runs that fell back from native to text tool calls.
    var textFallbacks = 0

    var parseFailures: Int { modelTurns - validTurns }

    /// Tool results that mean the call itself was malformed (as the tools word them).
    static let invalidResults = ["There is no tool named", "are not valid JSON", "must be a JSON object", "needs the argument `"]

    /// Reads every transcript of the session folder.
    static func read(sessionFolder: String) -> TranscriptFigures {
        var figures = TranscriptFigures()
        let folder = sessionFolder + "/transcripts"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".jsonl") }
        let decoder = JSONDecoder()
        for file in files.sorted() {
            guard let text = try? String(contentsOfFile: folder + "/" + file, encoding: .utf8) else { continue }
            let entries = text.split(separator: "\n").compactMap { try? decoder.decode(TranscriptEntry.self, from: Data($0.utf8)) }
            figures.add(entries)
        }
        return figures
    }

    /// Adds one agent's transcript: runs are separated by their `finished` entries.
    mutating func add(_ entries: [TranscriptEntry]) {
        var run: [TranscriptEntry] = []
        for entry in entries {
            run.append(entry)
            if case .finished = entry.event {
                addRun(run)
                run = []
            }
        }
        if !run.isEmpty { addRun(run) }
    }

    private mutating func addRun(_ run: [TranscriptEntry]) {
        var steps: Set<Int> = []
        var validSteps: Set<Int> = []
        var invalidCalls: Set<String> = []
        var callsByStep: [Int: [String]] = [:]
        var firstUsageSeen = false
        for entry in run {
            switch entry.event {
            case .usage(let usage, _):
                steps.insert(entry.step)
                promptTokens += usage.inputTokens
                cachedTokens += usage.cachedInputTokens
                completionTokens += usage.outputTokens
                if let milliseconds = usage.promptMilliseconds {
                    if firstUsageSeen {
                        followUpPromptMilliseconds.append(milliseconds)
                        followUpPromptTokens.append(usage.inputTokens - usage.cachedInputTokens)
                    } else {
                        firstPromptMilliseconds.append(milliseconds)
                        firstPromptTokens.append(usage.inputTokens - usage.cachedInputTokens)
                    }
                }
                firstUsageSeen = true
            case .assistant(let message, _):
                let calls = message.toolCalls.filter { !$0.id.hasSuffix("_leftover") }
                guard !calls.isEmpty else {
                    if !message.toolCalls.contains(where: { $0.id.hasSuffix("_leftover") }) { steps.insert(entry.step) }
                    continue
                }
                steps.insert(entry.step)
                callsByStep[entry.step, default: []] += calls.map(\.id)
            case .toolResult(let result, _):
                if result.isError, Self.invalidResults.contains(where: { result.content.contains($0) }) {
                    invalidCalls.insert(result.callID)
                }
            case .error:
                steps.insert(entry.step)
            case .correction(let text) where text.hasPrefix("Switched to tool calls written as text"):
                textFallbacks += 1
            default:
                break
            }
        }
        for (step, ids) in callsByStep where ids.contains(where: { !invalidCalls.contains($0) }) {
            validSteps.insert(step)
        }
        modelTurns += steps.count
        validTurns += validSteps.count
    }

    static func + (lhs: TranscriptFigures, rhs: TranscriptFigures) -> TranscriptFigures {
        var sum = lhs
        sum.modelTurns += rhs.modelTurns
        sum.validTurns += rhs.validTurns
        sum.promptTokens += rhs.promptTokens
        sum.cachedTokens += rhs.cachedTokens
        sum.completionTokens += rhs.completionTokens
        sum.firstPromptMilliseconds += rhs.firstPromptMilliseconds
        sum.followUpPromptMilliseconds += rhs.followUpPromptMilliseconds
        sum.firstPromptTokens += rhs.firstPromptTokens
        sum.followUpPromptTokens += rhs.followUpPromptTokens
        sum.textFallbacks += rhs.textFallbacks
        return sum
    }
}

/// The median of `values` (0 for none).
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}
