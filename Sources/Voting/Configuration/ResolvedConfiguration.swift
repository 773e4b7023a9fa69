import Foundation
import CodingAgent
import GitWorkspace

/// Everything a session needs from the configuration, validated and with defaults applied.
///
/// Plain values only, so it crosses tasks freely; the orchestrator maps `coding` onto its own
/// settings type.
public struct ResolvedConfiguration: Sendable, Hashable {
    /// The agents in config order (the order that breaks vote ties).
    public var agents: [AgentConfiguration]
    /// mg's coding settings (`orchestrator:` and `timeout_settings:`).
    public var coding: CodingSettings
    /// MassGen `context_paths`, kept for display and for `protected_paths`.
    public var contextPaths: [ContextPath]
    /// Keys mg read but ignores, each once, in file order.
    public var warnings: [ConfigurationWarning]
    /// Where the configuration came from.
    public var source: ConfigurationSource

    /// Creates a resolved configuration.
    public init(
        agents: [AgentConfiguration], coding: CodingSettings = CodingSettings(),
        contextPaths: [ContextPath] = [],
        warnings: [ConfigurationWarning] = [], source: ConfigurationSource
    ) {
        self.agents = agents
        self.coding = coding
        self.contextPaths = contextPaths
        self.warnings = warnings
        self.source = source
    }

    /// Every agent's `upload_files`, each location once, in config order: mg attaches them to
    /// the task every agent sees (MassGen attached them per agent; agents here share one task).
    public var uploadFiles: [UploadFile] {
        var seen: Set<String> = []
        return agents.flatMap(\.uploadFiles).filter { seen.insert($0.location).inserted }
    }

    /// The smallest `media_max_file_size_mb` any agent sets (an attachment goes to all of them),
    /// else MassGen's default of 64.
    public var mediaLimits: MediaLimits {
        MediaLimits(
            maxFileSizeMB: agents.compactMap(\.mediaMaxFileSizeMB).min() ?? MediaLimits.defaultMaxFileSizeMB)
    }
}

/// One configured agent.
public struct AgentConfiguration: Sendable, Hashable {
    /// The agent's id (config `id`, else `agent1`, `agent2`, …); also its branch name component.
    public var id: String
    /// The backend section; `apiKey` holds only a key written in the config.
    public var backend: BackendConfiguration
    /// The backend type, given or inferred from the model.
    public var backendType: BackendType
    /// Where the API key comes from: `config`, an environment variable name, or `none needed`.
    public var apiKeySource: String
    /// The agent's `system_message`, if any.
    public var systemMessage: String?
    /// `allowed_tools`: when set, only these tools are offered.
    public var allowedTools: [String]?
    /// `exclude_tools`: tools never offered.
    public var excludedTools: [String]
    /// `media_max_file_size_mb`, if set.
    public var mediaMaxFileSizeMB: Double?
    /// `script:` of a `type: scripted` agent: the recorded turns it replays (absolute path).
    public var scriptPath: String?
    /// `upload_files` of the agent's backend section (MassGen attaches them to every turn).
    public var uploadFiles: [UploadFile]
    /// The agent's own `timeout_seconds`, overriding `orchestrator.agent_timeout_seconds`.
    public var timeoutSeconds: Double?
    /// The program an external agent runs (`claude_code`, `codex`, `aider`, `command`, `ag2`,
    /// `langchain`); `nil` for API agents.
    public var external: ExternalAgentSpec?
    /// `mcp_servers` of an API agent: their tools are offered next to mg's.
    public var mcpServers: [MCPServerSpec] = []
    /// `custom_tools` of an API agent: Python functions offered as `custom_tool__<name>`.
    public var customTools: [CustomToolSpec] = []
    /// MassGen's `enable_mcp_command_line` and `command_line_*` keys, if any are set.
    public var commandLine: CommandLineSettings?

    /// Creates an agent configuration.
    public init(
        id: String, backend: BackendConfiguration, backendType: BackendType, apiKeySource: String,
        systemMessage: String? = nil, allowedTools: [String]? = nil, excludedTools: [String] = [],
        mediaMaxFileSizeMB: Double? = nil, scriptPath: String? = nil, uploadFiles: [UploadFile] = [],
        timeoutSeconds: Double? = nil
    ) {
        self.scriptPath = scriptPath
        self.id = id
        self.backend = backend
        self.backendType = backendType
        self.apiKeySource = apiKeySource
        self.systemMessage = systemMessage
        self.allowedTools = allowedTools
        self.excludedTools = excludedTools
        self.mediaMaxFileSizeMB = mediaMaxFileSizeMB
        self.uploadFiles = uploadFiles
        self.timeoutSeconds = timeoutSeconds
    }
}

/// mg's coding settings; `nil` means "the orchestrator's default".
public struct CodingSettings: Sendable, Hashable {
    /// `orchestrator.test_command`: the command that decides whether an answer passes.
    public var testCommand: String?
    /// `orchestrator.merge_mode`: how the winner lands.
    public var mergeMode: MergeMode?
    /// `orchestrator.max_new_answers_per_agent`.
    public var maxNewAnswersPerAgent: Int?
    /// `orchestrator.voting_sensitivity`.
    public var votingSensitivity: VotingSensitivity?
    /// `orchestrator.max_cost_usd`: the whole session's spending ceiling.
    public var maxCostUSD: Double?
    /// `orchestrator.timeout_seconds` or `timeout_settings.orchestrator_timeout_seconds`.
    public var timeoutSeconds: Double?
    /// `orchestrator.agent_timeout_seconds`: each agent's limit, unless it sets its own.
    public var agentTimeoutSeconds: Double?
    /// `orchestrator.voting_policy`: `evidence_first` (default) or `votes_first`.
    public var votingPolicy: VotingPolicy?
    /// `orchestrator.gate_commands`: commands the winner must also pass before it lands.
    public var gateCommands: [String] = []
    /// `orchestrator.test_paths`: globs of test files beyond the frameworks' rules.
    public var testPaths: [String] = []
    /// `orchestrator.allow_test_changes`: the task may change tests.
    public var allowTestChanges: Bool?
    /// `orchestrator.protected_paths`: paths (repository-relative patterns) agents may not change.
    public var protectedPaths: [String] = []
    /// `orchestrator.pricing`: model name or prefix → price, over the built-in table.
    public var prices: [String: ModelPrice] = [:]
    /// `orchestrator.ballot_seed`: replay a session's blind ballots.
    public var ballotSeed: UInt64?
    /// `orchestrator.answer_novelty_requirement`.
    public var answerNovelty: AnswerNovelty?
    /// `orchestrator.coordination.enable_planning_mode` (with its instruction).
    public var planningMode: PlanningMode?
    /// `orchestrator.skip_coordination_rounds`: the first agent's first answer is the result.
    public var skipCoordinationRounds: Bool?

    /// Creates settings.
    public init(
        testCommand: String? = nil, mergeMode: MergeMode? = nil, maxNewAnswersPerAgent: Int? = nil,
        votingSensitivity: VotingSensitivity? = nil, maxCostUSD: Double? = nil, timeoutSeconds: Double? = nil,
        agentTimeoutSeconds: Double? = nil
    ) {
        self.testCommand = testCommand
        self.mergeMode = mergeMode
        self.maxNewAnswersPerAgent = maxNewAnswersPerAgent
        self.votingSensitivity = votingSensitivity
        self.maxCostUSD = maxCostUSD
        self.timeoutSeconds = timeoutSeconds
        self.agentTimeoutSeconds = agentTimeoutSeconds
    }
}

extension ResolvedConfiguration {
    /// Every protected path as a repository-relative pattern: `orchestrator.protected_paths`, and
    /// MassGen's `protected_paths` of each `context_paths` entry inside the repository (relative
    /// to that entry's path). Entries outside the repository protect nothing in it.
    public func protectedPaths(repositoryRoot: String) -> [String] {
        var patterns = coding.protectedPaths
        let root = URL(fileURLWithPath: repositoryRoot).standardizedFileURL.path
        for context in contextPaths where !context.protectedPaths.isEmpty {
            let raw = context.path.replacingOccurrences(of: "${cwd}", with: root)
            let absolute =
                context.absolutePath
                ?? URL(fileURLWithPath: raw.hasPrefix("/") ? raw : root + "/" + raw).standardizedFileURL.path
            let prefix: String
            if absolute == root {
                prefix = ""
            } else if absolute.hasPrefix(root + "/") {
                prefix = String(absolute.dropFirst(root.count + 1)) + "/"
            } else {
                continue
            }
            patterns += context.protectedPaths.map { path in
                let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
                // Anchored at the context path, as MassGen resolves them.
                return "/" + prefix + trimmed
            }
        }
        return patterns
    }
}

/// A MassGen `context_paths` entry.
public struct ContextPath: Sendable, Hashable {
    /// The path, with `${cwd}` substituted.
    public var path: String
    /// `read` or `write`.
    public var permission: String
    /// Paths inside `path` agents must not modify.
    public var protectedPaths: [String]
    /// The absolute path (relative ones taken from the current directory, as MassGen does);
    /// `nil` in entries made in code, which resolve `path` against the repository root.
    public var absolutePath: String?
    /// Where the entry is in the config file, for errors.
    public var location: ConfigurationLocation?

    /// True for `permission: write`.
    public var isWritable: Bool { permission == "write" }

    /// Creates an entry.
    public init(path: String, permission: String, protectedPaths: [String]) {
        self.path = path
        self.permission = permission
        self.protectedPaths = protectedPaths
    }
}

/// Where a configuration came from.
public enum ConfigurationSource: Sendable, Hashable, CustomStringConvertible {
    /// `--config FILE`.
    case explicit(String)
    /// `.massgen/config.yaml` of the repository.
    case project(String)
    /// `$XDG_CONFIG_HOME/mg/config.yaml`.
    case user(String)
    /// No file: agents chosen from the provider keys in the environment.
    case environment([String])

    /// The file path, if any.
    public var file: String? {
        switch self {
        case .explicit(let path), .project(let path), .user(let path): path
        case .environment: nil
        }
    }

    /// Says which source was used.
    public var description: String {
        switch self {
        case .explicit(let path): "\(path) (--config)"
        case .project(let path): "\(path) (project)"
        case .user(let path): "\(path) (user)"
        case .environment(let names): "environment (\(names.joined(separator: ", ")))"
        }
    }
}
