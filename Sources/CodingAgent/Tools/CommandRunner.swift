import Foundation
import GitWorkspace
import Synchronization
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// How `run_command` runs commands.
public struct CommandSettings: Sendable, Hashable {
    /// Timeout when the model gives none.
    public var defaultTimeout: Duration
    /// Longest timeout a model may ask for.
    public var maxTimeout: Duration
    /// Bytes of output kept (half from the start, half from the end).
    public var outputLimitBytes: Int
    /// Whether and how bubblewrap confines commands.
    public var sandbox: SandboxMode
    /// Whether sandboxed commands may use the network.
    public var networkEnabled: Bool
    /// Directories hidden from sandboxed commands (e.g. other agents' worktrees).
    public var hiddenPaths: [String]
    /// Variables added after scrubbing (never secrets: they are visible to the model's commands).
    public var extraEnvironment: [String: String]
    /// The environment to scrub and pass on; `nil` means this process's environment.
    public var baseEnvironment: [String: String]?
    /// Which commands `run_command` may run (MassGen's allowed/blocked command patterns).
    public var policy: CommandPolicy = .unrestricted
    /// Memory and CPU limits of each command.
    public var limits = CommandResourceLimits()
    /// Paths outside the workspace that sandboxed commands may read even where the sandbox
    /// hides them (under `/tmp`, or among the hidden paths): read-only context paths.
    public var readOnlyBinds: [String] = []
    /// Folders mounted writable at another path inside the sandbox (`source` appears at
    /// `target`): an agent's private copy of a write context path, at that path.
    public var writableBinds: [SandboxBind] = []

    /// Creates settings; defaults: 120 s timeout (max 600 s), 30 000 bytes of output, automatic sandbox, no network.
    public init(
        defaultTimeout: Duration = .seconds(120), maxTimeout: Duration = .seconds(600), outputLimitBytes: Int = 30_000,
        sandbox: SandboxMode = .automatic, networkEnabled: Bool = false, hiddenPaths: [String] = [],
        extraEnvironment: [String: String] = [:], baseEnvironment: [String: String]? = nil
    ) {
        self.baseEnvironment = baseEnvironment
        self.defaultTimeout = defaultTimeout
        self.maxTimeout = maxTimeout
        self.outputLimitBytes = outputLimitBytes
        self.sandbox = sandbox
        self.networkEnabled = networkEnabled
        self.hiddenPaths = hiddenPaths
        self.extraEnvironment = extraEnvironment
    }
}

extension CommandSettings {
    /// The environment commands get: the base environment scrubbed of secrets, plus the extras.
    var environment: [String: String] {
        var environment = EnvironmentScrubber.scrub(baseEnvironment ?? ProcessInfo.processInfo.environment)
        environment.merge(extraEnvironment) { _, new in new }
        return environment
    }

    /// The `PATH` commands see (where `bwrap` is looked up).
    var environmentPath: String? { environment["PATH"] }
}

/// What a finished command produced.
public struct CommandResult: Sendable, Hashable {
    /// Combined stdout and stderr, capped (head + tail with an omission marker).
    public var output: String
    /// Exit code, when the command exited normally.
    public var exitCode: Int32?
    /// Signal number, when it was killed.
    public var signal: Int32?
    /// Whether the timeout expired and the process group was killed.
    public var timedOut: Bool
    /// Whether it ran inside bubblewrap.
    public var sandboxed: Bool
    /// Total bytes of output, including what was omitted.
    public var totalOutputBytes: Int
}

/// Runs shell commands for one or more agents: scrubbed environment, own process group,
/// timeout that kills the whole group (`ProcessWatchdog`), capped output, bubblewrap when available.
///
/// Uses swift-subprocess rather than Foundation.Process because it can start the child in a
/// new process group (`setpgid` in `posix_spawn`), stream combined output as it arrives, and
/// signal the group — Foundation.Process on Linux can do none of these, so a timed-out
/// `make` would leave its compilers running.
public final class CommandRunner: Sendable {
    /// The settings commands run with.
    public let settings: CommandSettings
    private let warn: @Sendable (String) -> Void
    private let state = Mutex(LockedStateValue())

    /// Creates a runner; `warn` receives operator-facing notices (once per runner).
    public init(settings: CommandSettings = CommandSettings(), warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        self.warn = warn
    }

    /// Runs `command` with `/bin/sh -c` in `root`; throws only when it cannot be started.
    public func run(_ command: String, in root: String, timeout requested: Duration? = nil) async throws -> CommandResult {
        let timeout = min(requested ?? settings.defaultTimeout, settings.maxTimeout)
        var environment = settings.environment
        // Agents cannot answer prompts or drive pagers; optional locks would fail on read-only metadata.
        environment.merge(["GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "PAGER": "cat", "GIT_PAGER": "cat"]) { _, new in new }

        let limited = limitedCommand(command)
        let executable: String
        let arguments: [String]
        if let sandbox = try await sandbox(environmentPath: environment["PATH"]) {
            executable = sandbox.bubblewrap
            arguments = sandbox.arguments(command: limited, root: root)
        } else {
            executable = "/bin/sh"
            arguments = ["-c", limited]
        }
        return try await spawn(executable: executable, arguments: arguments, environment: environment, root: root, timeout: timeout)
    }

    /// Probes the sandbox ahead of the first command (e.g. while worktrees are prepared), so
    /// the first command does not pay for it. Harmless to call more than once.
    public func prepare() async {
        guard settings.sandbox != .disabled else { return }
        _ = await BubblewrapProbe.shared.usableBubblewrap(path: settings.environmentPath)
    }

    /// The sandbox to use; `nil` means run unsandboxed (after warning once).
    private func sandbox(environmentPath: String?) async throws -> CommandSandbox? {
        if settings.sandbox == .disabled {
            warnOnce("run_command: sandboxing is disabled by configuration; agent commands run unsandboxed with full access to the filesystem.")
            return nil
        }
        if let bubblewrap = await BubblewrapProbe.shared.usableBubblewrap(path: environmentPath) {
            return CommandSandbox(
                bubblewrap: bubblewrap, networkEnabled: settings.networkEnabled,
                hiddenPaths: settings.hiddenPaths,
                readOnlyBinds: settings.readOnlyBinds, writableBinds: settings.writableBinds)
        }
        if settings.sandbox == .required { throw CommandRunnerError.sandboxUnavailable }
        warnOnce("run_command: bubblewrap (bwrap) is not installed or does not work here, so agent commands run unsandboxed. Install the bubblewrap package to confine them.")
        return nil
    }

    /// `command` with the memory and CPU limits applied (unchanged when there are none). CPU
    /// pinning needs `taskset`; without it the command runs unpinned after a warning.
    private func limitedCommand(_ command: String) -> String {
        let limits = settings.limits
        guard !limits.isEmpty else { return command }
        var cpuList: String?
        if let count = limits.cpuCount, let allowed = CommandResourceLimits.allowedCPUs() {
            cpuList = CommandResourceLimits.cpuList(count: count, allowed: allowed)
            if cpuList != nil, CommandSandbox.findExecutable("taskset", path: settings.environmentPath) == nil
            {
                warnOnce(
                    "run_command: taskset is not installed, so the CPU limit (command_line_docker_cpu_limit) is not applied."
                )
                cpuList = nil
            }
        }
        return limits.wrap(command, cpuList: cpuList)
    }

    private func warnOnce(_ message: String) {
        let first = state.withLock { state -> Bool in
            defer { state.warned = true }
            return !state.warned
        }
        if first { warn(message) }
    }

    private func spawn(executable: String, arguments: [String], environment: [String: String], root: String, timeout: Duration)
        async throws -> CommandResult
    {
        var options = PlatformOptions()
        options.processGroupID = 0  // a new group led by the child, so the whole tree can be killed
        let limit = settings.outputLimitBytes
        let sandboxed = executable != "/bin/sh"
        let environmentKeys = Dictionary(uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })
        let execution = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), environment: .custom(environmentKeys),
            workingDirectory: FilePath(root), platformOptions: options, input: .none, output: .sequence,
            error: .combinedWithOutput
        ) { execution -> (CappedOutput, Bool) in
            let (capture, trigger) = await ProcessWatchdog.watching(
                pid: execution.processIdentifier.value, target: .processGroup, escalation: .kill, timeout: timeout
            ) { _ in
                var capture = CappedOutput(limit: limit)
                do {
                    for try await buffer in execution.standardOutput {
                        buffer.withUnsafeBytes { capture.append($0) }
                    }
                } catch {}
                return capture
            }
            return (capture, trigger == .deadline)
        }
        let (capture, timedOut) = execution.closureResult
        var result = CommandResult(
            output: capture.text, exitCode: nil, signal: nil, timedOut: timedOut, sandboxed: sandboxed,
            totalOutputBytes: capture.totalBytes)
        switch execution.terminationStatus {
        case .exited(let code): result.exitCode = code
        case .signaled(let signal): result.signal = signal
        }
        return result
    }
}

/// Why a command could not be started.
public enum CommandRunnerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `sandbox: required` but bubblewrap is missing or cannot create namespaces.
    case sandboxUnavailable

    public var description: String {
        switch self {
        case .sandboxUnavailable:
            return "Commands must run sandboxed, but bubblewrap (bwrap) is not installed or cannot create a sandbox here. "
                + "Install the bubblewrap package, or set the sandbox mode to automatic."
        }
    }
}

/// The runner's mutable state behind a mutex (whether the warning was given).
private struct LockedStateValue {
    var warned = false
}
