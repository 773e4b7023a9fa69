import CodingAgent
import Foundation
import GitWorkspace
import Yams

/// Reads a MassGen v0.0.26 YAML config (plus mg's coding settings) into a `ResolvedConfiguration`.
///
/// Every key is either used, or reported once as a warning with its path; nothing is dropped
/// silently and no unknown key is fatal. Wrong shapes are errors with the line and column.
struct MassGenConfigurationParser {
    let file: String
    let workingDirectory: String
    let environment: [String: String]
    private(set) var warnings: [ConfigurationWarning] = []

    init(file: String, workingDirectory: String, environment: [String: String]) {
        self.file = file
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    mutating func parse(yaml: String, source: ConfigurationSource) throws(ConfigurationError) -> ResolvedConfiguration {
        guard let root = try compose(yaml) else {
            return ResolvedConfiguration(agents: [], source: source)
        }
        var agentsValue: YAMLValue?
        var singleAgentValue: YAMLValue?
        var orchestrator: YAMLValue?
        var timeouts: YAMLValue?
        for (key, value) in try root.entries() {
            switch key {
            case "agents": agentsValue = value
            case "agent": singleAgentValue = value
            case "orchestrator": orchestrator = value
            case "timeout_settings": timeouts = value
            case "ui", "display":
                for (_, item) in try value.entries() {
                    warn(
                        item,
                        "mg picks its display from the terminal (--quiet, --json, --no-color) and records every session",
                        kind: .notNeeded)
                }
            case "prompt": warn(value, "mg takes the task from the command line (mg fix \"TASK\")")
            case "memory":
                let enabled = try value.entries().first { $0.key == "enabled" }?.value.bool()
                if enabled == false {
                    warn(value, "it is disabled", kind: .notNeeded)
                } else {
                    warn(value, "MassGen's memory is not provided; mg continue restores a session's history")
                }
            default: warn(value)
            }
        }
        if agentsValue == nil, singleAgentValue == nil, orchestrator == nil, timeouts == nil {
            let keys = try root.entries()
            if !keys.isEmpty {
                // Not an agent configuration (MassGen's rate_limits.yaml): refuse rather than
                // silently run agents from the environment instead.
                throw .notAnAgentConfiguration(
                    ConfigurationLocation(file: file, line: 1, column: 1), keys: keys.map(\.key))
            }
        }
        let agentNodes: [YAMLValue]
        if let agentsValue {
            agentNodes = try agentsValue.items()
            if let singleAgentValue { warn(singleAgentValue, "`agents` is given, so `agent` is not used") }
        } else if let singleAgentValue {
            agentNodes = [singleAgentValue]
        } else {
            // No agents: the loader picks them from the provider keys in the environment.
            agentNodes = []
        }
        if agentNodes.isEmpty, let agentsValue { throw agentsValue.invalid("a non-empty list of agents") }

        var coding = CodingSettings()
        var contextPaths: [ContextPath] = []
        if let timeouts { try readTimeouts(timeouts, into: &coding) }
        if let orchestrator { try readOrchestrator(orchestrator, into: &coding, contextPaths: &contextPaths) }

        var agents: [AgentConfiguration] = []
        for (index, node) in agentNodes.enumerated() {
            let agent = try readAgent(node, index: index, contextPaths: &contextPaths)
            if agents.contains(where: { $0.id == agent.id }) { throw .duplicateAgentID(node.location, id: agent.id) }
            agents.append(agent)
        }
        let ordered = warnings.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        return ResolvedConfiguration(
            agents: agents, coding: coding, contextPaths: contextPaths, warnings: ordered, source: source)
    }

    /// The document's root; `nil` for an empty (or comments-only) file.
    private func compose(_ yaml: String) throws(ConfigurationError) -> YAMLValue? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw .syntax(ConfigurationLocation(file: file, line: 0, column: 0), problem: "\(error)")
        }
        guard let node else { return nil }
        return YAMLValue(node: node, path: "", file: file, workingDirectory: workingDirectory)
    }

    private func syntaxError(_ error: YamlError) -> ConfigurationError {
        func at(_ mark: Mark) -> ConfigurationLocation {
            ConfigurationLocation(file: file, line: mark.line, column: mark.column)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? problem
            return .syntax(at(mark), problem: detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .syntax(at(context.mark), problem: "duplicate keys: \(duplicates.joined(separator: ", "))")
        case .reader(let problem, let offset, _, _):
            return .syntax(ConfigurationLocation(file: file, line: 0, column: 0), problem: "\(problem) at byte \(offset ?? 0)")
        default:
            return .syntax(ConfigurationLocation(file: file, line: 0, column: 0), problem: "\(error)")
        }
    }

    mutating func warn(
        _ value: YAMLValue, _ reason: String = "", kind: ConfigurationWarning.Kind = .unsupported
    ) {
        guard !warnings.contains(where: { $0.path == value.path }) else { return }
        warnings.append(
            ConfigurationWarning(path: value.path, location: value.keyLocation, reason: reason, kind: kind))
    }

    private mutating func readTimeouts(_ value: YAMLValue, into coding: inout CodingSettings) throws(ConfigurationError) {
        for (key, item) in try value.entries() {
            if key == "orchestrator_timeout_seconds" {
                if coding.timeoutSeconds == nil { coding.timeoutSeconds = try positive(item) }
            } else {
                warn(item, "mg has one session timeout, timeout_settings.orchestrator_timeout_seconds")
            }
        }
    }

    private mutating func readOrchestrator(
        _ value: YAMLValue, into coding: inout CodingSettings, contextPaths: inout [ContextPath]
    ) throws(ConfigurationError) {
        for (key, item) in try value.entries() {
            switch key {
            case "test_command": coding.testCommand = try item.string()
            case "merge_mode", "merge":
                let text = try item.string()
                guard let mode = MergeMode(rawValue: text) else { throw item.invalid("one of squash, apply, no-ff, none") }
                coding.mergeMode = mode
            case "max_new_answers_per_agent":
                let count = try item.int()
                guard count >= 1 else { throw item.invalid("a whole number of at least 1") }
                coding.maxNewAnswersPerAgent = count
            case "voting_sensitivity":
                let text = try item.string()
                guard let sensitivity = VotingSensitivity(rawValue: text) else {
                    throw item.invalid("one of " + VotingSensitivity.allCases.map(\.rawValue).joined(separator: ", "))
                }
                coding.votingSensitivity = sensitivity
            case "max_cost_usd": coding.maxCostUSD = try positive(item)
            case "timeout_seconds", "timeout": coding.timeoutSeconds = try positive(item)
            case "agent_timeout_seconds": coding.agentTimeoutSeconds = try positive(item)
            case "context_paths": contextPaths += try readContextPaths(item)
            case "voting_policy":
                let text = try item.string()
                guard let policy = VotingPolicy(rawValue: text) else {
                    throw item.invalid("one of " + VotingPolicy.allCases.map(\.rawValue).joined(separator: ", "))
                }
                coding.votingPolicy = policy
            case "gate_commands": coding.gateCommands = try nonEmptyStrings(item)
            case "test_paths": coding.testPaths = try nonEmptyStrings(item)
            case "protected_paths": coding.protectedPaths = try nonEmptyStrings(item)
            case "allow_test_changes": coding.allowTestChanges = try item.bool()
            case "pricing": coding.prices = try readPriceTable(item)
            case "ballot_seed":
                guard let seed = UInt64(try item.string()) else { throw item.invalid("a whole number of at least 0") }
                coding.ballotSeed = seed
            case "snapshot_storage", "agent_temporary_workspace", "session_storage":
                warn(item, "mg keeps worktrees and sessions under .massgen/", kind: .notNeeded)
            default:
                if try !readCoordinationKey(key, item, into: &coding) { warn(item) }
            }
        }
    }

    /// A list of non-empty strings (a single string counts as a list of one).
    func nonEmptyStrings(_ item: YAMLValue) throws(ConfigurationError) -> [String] {
        let values = try item.stringList()
        guard values.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw item.invalid("a list of non-empty strings")
        }
        return values
    }

    func positive(_ item: YAMLValue) throws(ConfigurationError) -> Double {
        let number = try item.double()
        guard number > 0 else { throw item.invalid("a number above 0") }
        return number
    }
}

extension MassGenConfigurationParser {
    /// A path from the config: `${cwd}` substituted; relative paths are taken from the config
    /// file's folder (so a config and its scripts can move together).
    func resolvePath(_ raw: String) -> String {
        let substituted = raw.replacingOccurrences(of: "${cwd}", with: workingDirectory)
        if substituted.hasPrefix("/") { return substituted }
        let folder = file.hasPrefix("/") ? (file as NSString).deletingLastPathComponent : workingDirectory
        return URL(fileURLWithPath: folder).appendingPathComponent(substituted).standardizedFileURL.path
    }
}
