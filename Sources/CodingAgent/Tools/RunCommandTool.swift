import Foundation

/// `run_command(command, timeout_seconds?)`: runs a shell command in the workspace.
///
/// Output (stdout and stderr combined) is capped, keeping its start and end; the result states
/// the exit status, or that the timeout killed the command.
public struct RunCommandTool: AgentTool {
    /// The runner that owns sandbox detection and the warn-once state.
    public let runner: CommandRunner

    /// Creates the tool around `runner` (share one runner per session so the warning is given once).
    public init(runner: CommandRunner) {
        self.runner = runner
    }

    public var definition: ToolDefinition {
        let seconds = runner.settings.defaultTimeout.components.seconds
        let maxSeconds = runner.settings.maxTimeout.components.seconds
        let network = runner.settings.networkEnabled ? "" : " There is no network access."
        return ToolDefinition(
            name: "run_command",
            description: "Run a shell command (/bin/sh -c) in the workspace root, e.g. to build or run tests. "
                + "Returns the exit status and the combined output (long output is cut in the middle). Only the workspace is writable.\(network)",
            parameters: .objectSchema(
                [
                    "command": .property("string", "The shell command to run."),
                    "timeout_seconds": .property("integer", "Time limit in seconds (default \(seconds), max \(maxSeconds))."),
                ], required: ["command"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        let command: String
        let timeout: Int?
        do {
            let args = try ToolArguments(toolName: "run_command", json: arguments)
            command = try args.string("command")
            timeout = try args.optionalInt("timeout_seconds")
        } catch {
            return .failure(error.description)
        }
        if command.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .failure("command is empty; give the shell command to run.")
        }
        if let timeout, timeout < 1 { return .failure("timeout_seconds must be at least 1.") }
        if let refusal = runner.settings.policy.refusal(for: command) { return .failure(refusal) }
        let result: CommandResult
        do {
            result = try await runner.run(command, in: context.workspace.path, timeout: timeout.map { .seconds($0) })
        } catch {
            return .failure("The command could not be started: \(error)")
        }
        var shown = result
        // The worktree's own path never reaches the model (nor the stored transcript): paths in
        // the output read as they would from the repository root.
        shown.output = RunFolderPaths(folder: context.workspace.path).strip(result.output)
        return Self.outcome(for: shown, timeout: timeout.map { .seconds($0) } ?? runner.settings.defaultTimeout, runner: runner)
    }

    static func outcome(for result: CommandResult, timeout: Duration, runner: CommandRunner) -> ToolOutcome {
        let output = result.output.isEmpty ? "(no output)" : result.output
        if result.timedOut {
            let seconds = min(timeout, runner.settings.maxTimeout).components.seconds
            return .failure(
                "The command timed out after \(seconds) s and was killed (with everything it started).\nOutput so far:\n\(output)")
        }
        if let code = result.exitCode {
            let text = "Exit code \(code).\n\(output)"
            return code == 0 ? .success(text) : ToolOutcome(text: text, isError: true)
        }
        return .failure("The command was killed by signal \(result.signal ?? 0).\n\(output)")
    }
}

