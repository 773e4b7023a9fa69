import CodingAgent
import Foundation
import GitWorkspace

/// A MassGen custom tool: each call runs `python3` with mg's bridge (`adapters/custom_tool_bridge.py`)
/// in the agent's worktree, through the agent's `CommandRunner` — the same bubblewrap sandbox,
/// scrubbed environment, process group and timeout as `run_command` — and returns what the
/// function returned. A function that raises, takes other arguments or hangs is a tool error
/// the model reads.
struct CustomPythonTool: AgentTool {
    let spec: CustomToolSpec
    /// The description and parameter schema the bridge derived (or the config gave).
    let definition: ToolDefinition
    /// The agent's runner for custom tools (larger output cap; the tool's folder visible).
    let runner: CommandRunner
    /// The agent whose tool this is (MassGen's `agent_id` context parameter).
    let agent: String

    /// Characters of a result shown to the model.
    static let resultLimit = 30_000

    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        guard case .object = arguments else {
            return .failure("\(spec.offeredName) takes its arguments as a JSON object.")
        }
        let timeout =
            spec.timeoutSeconds.map { Duration.milliseconds(Int64($0 * 1000)) }
            ?? runner.settings.defaultTimeout
        let reply: CustomToolBridge.Reply
        do {
            reply = try await CustomToolBridge.run(
                ["call", spec.bridgeJSON(agent: agent), arguments.jsonText], runner: runner,
                in: context.workspace.path,
                timeout: timeout)
        } catch {
            return .failure("\(spec.offeredName) could not be started: \(error)")
        }
        let printed = RunFolderPaths(folder: context.workspace.path).strip(reply.printed)
        switch reply.outcome {
        case .result(let object):
            if let error = object["error"]?.stringValue {
                return .failure(
                    Self.errorText(spec.offeredName, error: error, object: object, printed: printed))
            }
            var text = object["text"]?.stringValue ?? ""
            if text.count > Self.resultLimit {
                text =
                    String(text.prefix(Self.resultLimit))
                    + "\n… (the result was cut at \(Self.resultLimit) characters)"
            }
            if text.isEmpty { text = "(the tool returned nothing)" }
            if !printed.isEmpty { text += "\n\nPrinted while it ran:\n" + String(printed.suffix(4_000)) }
            return .success(text)
        case .timedOut:
            return .failure(
                "\(spec.offeredName) timed out after \(timeout.components.seconds) s and was killed.\(Self.tail(printed))"
            )
        case .noResult(let status):
            return .failure("\(spec.offeredName) ended without a result (\(status)).\(Self.tail(printed))")
        }
    }

    private static func errorText(_ name: String, error: String, object: [String: JSONValue], printed: String)
        -> String
    {
        switch object["kind"]?.stringValue {
        case "raised":
            let trace = object["traceback"]?.stringValue.map { "\n" + $0 } ?? ""
            return "\(name) raised \(error)\(trace)"
        case "arguments": return "\(name): \(error)."
        default: return "\(name) could not be loaded: \(error)."
        }
    }

    private static func tail(_ printed: String) -> String {
        printed.isEmpty ? "" : "\nOutput:\n" + String(printed.suffix(4_000))
    }
}

/// Runs the bridge and reads its answer: the last line after the marker is the reply, the rest
/// is what the Python code printed (to stderr).
enum CustomToolBridge {
    static let marker = "\u{1E}mg-custom-tool-result "

    struct Reply {
        enum Outcome {
            case result([String: JSONValue])
            case timedOut
            case noResult(String)
        }
        var outcome: Outcome
        var printed: String
    }

    /// The bridge's source, embedded in the binary.
    static var source: String { EmbeddedAdapters.files["custom_tool_bridge.py"] ?? "" }

    /// Runs `python3 -c BRIDGE arguments…` in `folder`.
    static func run(_ arguments: [String], runner: CommandRunner, in folder: String, timeout: Duration)
        async throws
        -> Reply
    {
        let command = (["python3", "-c", source] + arguments).map(ShellQuoting.quoted).joined(separator: " ")
        let result = try await runner.run(command, in: folder, timeout: timeout)
        var printed = result.output
        var reply: [String: JSONValue]?
        if let range = printed.range(of: marker, options: .backwards) {
            let line = printed[range.upperBound...].prefix { $0 != "\n" }
            if case .object(let object) = JSONValue.parse(String(line)) { reply = object }
            printed.removeSubrange(range.lowerBound..<(printed.index(range.upperBound, offsetBy: line.count)))
        }
        printed = printed.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reply { return Reply(outcome: .result(reply), printed: printed) }
        if result.timedOut { return Reply(outcome: .timedOut, printed: printed) }
        let status =
            result.exitCode.map { $0 == 127 ? "python3 was not found (exit code 127)" : "exit code \($0)" }
            ?? "killed by signal \(result.signal ?? 0)"
        return Reply(outcome: .noResult(status), printed: printed)
    }
}
