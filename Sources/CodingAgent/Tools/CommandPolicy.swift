import Foundation
import GitWorkspace

/// Which shell commands `run_command` may run: MassGen's `command_line_allowed_commands` and
/// `command_line_blocked_commands`.
///
/// The patterns are regular expressions matched the way MassGen's command server matches them
/// (Python's `re.match`): anchored at the start of the command, not at its end. When allowed
/// patterns are given, a command must match one of them; it must match none of the blocked
/// ones. ICU syntax (NSRegularExpression) stands in for Python's `re`; the two agree on the
/// patterns MassGen's examples use (`^python`, `rm .*`, `.*sudo.*`).
public struct CommandPolicy: Sendable, Hashable {
    /// A command must start with a match of one of these (when any are given).
    public var allowedPatterns: [String]
    /// A command must not start with a match of any of these.
    public var blockedPatterns: [String]

    /// No restriction.
    public static let unrestricted = CommandPolicy(uncheckedAllowed: [], blocked: [])

    /// A policy of valid patterns; throws naming the first pattern that is not a regular expression.
    public init(allowed: [String], blocked: [String]) throws(CommandPolicyError) {
        for pattern in allowed + blocked {
            do {
                _ = try NSRegularExpression(pattern: pattern)
            } catch {
                throw .invalidPattern(pattern)
            }
        }
        self.init(uncheckedAllowed: allowed, blocked: blocked)
    }

    private init(uncheckedAllowed allowed: [String], blocked: [String]) {
        allowedPatterns = allowed
        blockedPatterns = blocked
    }

    /// True when nothing is restricted.
    public var isUnrestricted: Bool { allowedPatterns.isEmpty && blockedPatterns.isEmpty }

    /// Why `command` may not run, phrased for the model; `nil` when it may.
    public func refusal(for command: String) -> String? {
        if !allowedPatterns.isEmpty, !allowedPatterns.contains(where: { Self.matchesAtStart($0, command) }) {
            let list = allowedPatterns.map { "`\($0)`" }.joined(separator: ", ")
            return
                "run_command refused: the command is not in the allowed list (command_line_allowed_commands: \(list)). "
                + "Run a command that matches one of these patterns."
        }
        if let pattern = blockedPatterns.first(where: { Self.matchesAtStart($0, command) }) {
            return "run_command refused: the command matches the blocked pattern `\(pattern)` "
                + "(command_line_blocked_commands). Do it another way."
        }
        return nil
    }

    /// Python's `re.match`: a match that starts at the beginning of `text`.
    static func matchesAtStart(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        let range = NSRange(text.startIndex..., in: text)
        return regex.firstMatch(in: text, options: [.anchored], range: range) != nil
    }
}

/// A command policy could not be built.
public enum CommandPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern is not a regular expression.
    case invalidPattern(String)

    public var description: String {
        switch self {
        case .invalidPattern(let pattern):
            return
                "\"\(pattern)\" is not a valid regular expression (escape ( [ { . * + ? with a backslash to match them literally)"
        }
    }
}

/// Limits on what each command may use, where this machine can enforce them without a
/// container: memory as the address-space limit of every process (`ulimit -v`, i.e.
/// `setrlimit(RLIMIT_AS)`), CPUs by pinning the command to that many of the CPUs mg may use
/// (`taskset`). Docker limits a container's resident memory and its CPU time (cgroups); these
/// are the closest per-process equivalents.
public struct CommandResourceLimits: Sendable, Hashable {
    /// Address-space limit per process, in bytes (`nil`: none).
    public var memoryBytes: UInt64?
    /// CPUs the command may run on (`nil`: all of mg's).
    public var cpuCount: Int?

    /// Limits; `nil` means unlimited.
    public init(memoryBytes: UInt64? = nil, cpuCount: Int? = nil) {
        self.memoryBytes = memoryBytes
        self.cpuCount = cpuCount
    }

    /// True when nothing is limited.
    public var isEmpty: Bool { memoryBytes == nil && cpuCount == nil }

    /// `command` wrapped so the shell sets the limits before running it; `cpuList` is the
    /// `taskset` list to pin to (`nil`: no pinning). A limit that cannot be set stops the
    /// command with exit status 126 and a message, rather than running it unlimited.
    func wrap(_ command: String, cpuList: String?) -> String {
        var prefix = ""
        if let bytes = memoryBytes {
            let kilobytes = max(1, bytes / 1024)
            prefix +=
                "ulimit -v \(kilobytes) || { echo 'mg: could not set the memory limit (ulimit -v)' >&2; exit 126; }; "
        }
        guard let cpuList else { return prefix.isEmpty ? command : prefix + command }
        return prefix + "exec taskset -c \(cpuList) /bin/sh -c " + ShellQuoting.quoted(command)
    }

    /// The first `count` CPUs of `allowed` (a kernel CPU list such as `0-3,8`), as a list for
    /// `taskset -c`; `nil` when `count` covers them all (pinning would change nothing).
    static func cpuList(count: Int, allowed: String) -> String? {
        var cpus: [Int] = []
        for part in allowed.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap {
                Int($0.trimmingCharacters(in: .whitespaces))
            }
            if bounds.count == 1 { cpus.append(bounds[0]) }
            if bounds.count == 2, bounds[0] <= bounds[1] { cpus += Array(bounds[0]...bounds[1]) }
        }
        guard count >= 1, count < cpus.count else { return nil }
        return cpus.prefix(count).map(String.init).joined(separator: ",")
    }

    /// The CPUs this process may run on (`Cpus_allowed_list` of /proc/self/status), or `nil`.
    static func allowedCPUs() -> String? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
            return nil
        }
        let line = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }
        return line.map { $0.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces) }
    }
}
