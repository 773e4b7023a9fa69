import CodingAgent
import Foundation

/// MassGen's command-line keys of one agent's backend, as mg honours them on `run_command`.
public struct CommandLineSettings: Sendable, Hashable {
    /// `command_line_execution_mode`.
    public enum Mode: String, Sendable, Hashable {
        /// MassGen runs commands on the host; mg in its bubblewrap sandbox when it works here.
        case local
        /// MassGen runs commands in a container; mg requires its bubblewrap sandbox.
        case docker
    }

    /// `enable_mcp_command_line`; `false` removes `run_command` (mg offers it by default).
    public var enabled: Bool?
    /// `command_line_execution_mode`.
    public var mode: Mode = .local
    /// `command_line_allowed_commands` and `command_line_blocked_commands`.
    public var policy: CommandPolicy = .unrestricted
    /// `command_line_docker_network_mode` in docker mode: `none` → false, `bridge`/`host` → true.
    public var network: Bool?
    /// `command_line_docker_memory_limit` in bytes.
    public var memoryLimitBytes: UInt64?
    /// `command_line_docker_cpu_limit` (CPUs, may be fractional).
    public var cpuLimit: Double?

    /// Settings as MassGen's defaults have them.
    public init() {}

    /// `settings` with this agent's policy, sandbox, network and limits applied.
    public func applied(to settings: CommandSettings) -> CommandSettings {
        var settings = settings
        settings.policy = policy
        if mode == .docker {
            // MassGen's docker mode isolates commands or fails; mg's strongest isolation is the
            // sandbox, so it must work rather than fall back to running unsandboxed.
            settings.sandbox = .required
            settings.networkEnabled = network ?? false
            settings.limits = CommandResourceLimits(
                memoryBytes: memoryLimitBytes, cpuCount: cpuLimit.map { max(1, Int($0.rounded(.up))) })
        }
        return settings
    }
}

extension MassGenConfigurationParser {
    /// The backend keys this reader handles.
    static let commandLineKeys: Set<String> = [
        "enable_mcp_command_line", "command_line_execution_mode", "command_line_allowed_commands",
        "command_line_blocked_commands", "command_line_docker_network_mode",
        "command_line_docker_memory_limit",
        "command_line_docker_cpu_limit", "command_line_docker_image", "command_line_docker_packages",
        "command_line_docker_enable_sudo", "command_line_docker_credentials",
    ]

    /// Reads the command-line keys among `entries` (the others are left to the caller).
    mutating func readCommandLine(_ entries: [(key: String, value: YAMLValue)]) throws(ConfigurationError)
        -> CommandLineSettings?
    {
        let mine = entries.filter { Self.commandLineKeys.contains($0.key) }
        guard !mine.isEmpty else { return nil }
        var settings = CommandLineSettings()
        var allowed: [String] = []
        var blocked: [String] = []
        var dockerOnly: [YAMLValue] = []
        for (key, item) in mine {
            switch key {
            case "enable_mcp_command_line": settings.enabled = try item.bool()
            case "command_line_execution_mode":
                guard let mode = CommandLineSettings.Mode(rawValue: try item.string().lowercased()) else {
                    throw item.invalid("local or docker")
                }
                settings.mode = mode
            case "command_line_allowed_commands": allowed = try nonEmptyStrings(item)
            case "command_line_blocked_commands": blocked = try nonEmptyStrings(item)
            case "command_line_docker_network_mode":
                switch try item.string().lowercased() {
                case "none": settings.network = false
                case "bridge", "host": settings.network = true
                default: throw item.invalid("none, bridge or host")
                }
                dockerOnly.append(item)
            case "command_line_docker_memory_limit":
                settings.memoryLimitBytes = try Self.byteCount(item)
                dockerOnly.append(item)
            case "command_line_docker_cpu_limit":
                settings.cpuLimit = try positive(item)
                dockerOnly.append(item)
            case "command_line_docker_image":
                warn(
                    item,
                    "mg runs commands on this machine in its bubblewrap sandbox, not in a container image")
            case "command_line_docker_packages":
                warn(
                    item,
                    "there is no container to install them in: install what the agents need on this machine")
            case "command_line_docker_enable_sudo":
                if try item.bool() {
                    warn(item, "the sandbox drops every capability; commands cannot use sudo")
                }
            case "command_line_docker_credentials":
                warn(item, "mg never passes credentials or keys to agents' commands")
            default: break
            }
        }
        do {
            settings.policy = try CommandPolicy(allowed: allowed, blocked: blocked)
        } catch {
            let site = mine.first { $0.key.hasSuffix("_commands") }?.value ?? mine[0].value
            throw .invalidValue(
                site.location, path: site.path, expected: "regular expressions", found: error.description)
        }
        if settings.mode == .local {
            for item in dockerOnly {
                warn(
                    item, "it applies in command_line_execution_mode: docker only, as in MassGen",
                    kind: .notNeeded)
            }
        }
        return settings
    }

    /// Docker's memory notation: a whole number of bytes, or with a `b`, `k`, `m` or `g` suffix.
    static func byteCount(_ item: YAMLValue) throws(ConfigurationError) -> UInt64 {
        let text = try item.string().trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: UInt64] = ["b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var digits = Substring(text)
        var unit: UInt64 = 1
        if let last = text.last, let factor = units[last] {
            unit = factor
            digits = text.dropLast()
        }
        guard let value = UInt64(digits), value > 0 else {
            throw item.invalid("a memory size such as 2g, 512m or 1073741824")
        }
        return value * unit
    }
}
