import CodingAgent
import Foundation

/// What to load: the command line's choices and the process's surroundings.
public struct ConfigurationRequest: Sendable, Hashable {
    /// `--config FILE`, if given (relative to `workingDirectory`).
    public var explicitFile: String?
    /// The repository's working tree root, for `.massgen/config.yaml`; `nil` outside a repository.
    public var repositoryRoot: String?
    /// The directory `${cwd}` stands for and relative paths start from.
    public var workingDirectory: String
    /// The environment (keys, `XDG_CONFIG_HOME`, `HOME`).
    public var environment: [String: String]
    /// `--agents N`, if given.
    public var agentCount: Int?

    /// Creates a request.
    public init(
        explicitFile: String? = nil, repositoryRoot: String? = nil, workingDirectory: String,
        environment: [String: String], agentCount: Int? = nil
    ) {
        self.explicitFile = explicitFile
        self.repositoryRoot = repositoryRoot
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.agentCount = agentCount
    }
}

/// Finds, reads and resolves mg's configuration.
///
/// Lookup order: `--config` → `.massgen/config.yaml` → `$XDG_CONFIG_HOME/mg/config.yaml` →
/// agents chosen from the provider keys in the environment. A file without `agents:` keeps its
/// other settings and takes its agents from the environment too.
public enum ConfigurationLoader {
    /// The largest `--agents` accepted.
    public static let maximumAgents = 16

    /// Loads the configuration `request` points at. With `requireAgents: false` (what shows the
    /// settings), no configured agent and no provider key leave the agent list empty instead of
    /// failing.
    public static func load(
        _ request: ConfigurationRequest, requireAgents: Bool = true
    ) throws(ConfigurationError) -> ResolvedConfiguration {
        if let count = request.agentCount, !(1...maximumAgents).contains(count) { throw .invalidAgentCount(count) }
        var configuration: ResolvedConfiguration
        if let source = try locate(request) {
            let path = source.file ?? ""
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadableFile(path: path, reason: (error as NSError).localizedDescription)
            }
            configuration = try parse(
                yaml: text, file: path, source: source, workingDirectory: request.workingDirectory,
                environment: request.environment)
            // A context path mg cannot use here (not writable, containing the repository) is refused now.
            _ = try ContextPathPlan.plan(configuration.contextPaths, repositoryRoot: request.repositoryRoot)
        } else {
            configuration = ResolvedConfiguration(agents: [], source: .environment([]))
        }
        if configuration.agents.isEmpty {
            let defaults: (agents: [AgentConfiguration], variables: [String])
            do throws(ConfigurationError) {
                defaults = try EnvironmentAgents.agents(environment: request.environment, count: request.agentCount)
            } catch .noBackendAvailable where !requireAgents {
                return configuration
            }
            configuration.agents = defaults.agents
            if case .environment = configuration.source { configuration.source = .environment(defaults.variables) }
        } else if let count = request.agentCount {
            configuration.agents = EnvironmentAgents.replicate(configuration.agents, to: count)
        }
        return configuration
    }

    /// Parses YAML text (exposed for tests and `mg config check -`).
    public static func parse(
        yaml: String, file: String, source: ConfigurationSource, workingDirectory: String, environment: [String: String]
    ) throws(ConfigurationError) -> ResolvedConfiguration {
        var parser = MassGenConfigurationParser(file: file, workingDirectory: workingDirectory, environment: environment)
        return try parser.parse(yaml: yaml, source: source)
    }

    /// The config file the lookup order picks; `nil` when none exists.
    public static func locate(_ request: ConfigurationRequest) throws(ConfigurationError) -> ConfigurationSource? {
        let fm = FileManager.default
        if let explicit = request.explicitFile {
            let path = explicit.hasPrefix("/") ? explicit : request.workingDirectory + "/" + explicit
            guard fm.fileExists(atPath: path) else { throw .unreadableFile(path: path, reason: "no such file") }
            return .explicit(path)
        }
        if let root = request.repositoryRoot {
            let project = root + "/.massgen/config.yaml"
            if fm.fileExists(atPath: project) { return .project(project) }
        }
        let xdg = request.environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? request.environment["HOME"].map { $0 + "/.config" }
        if let xdg {
            let user = xdg + "/mg/config.yaml"
            if fm.fileExists(atPath: user) { return .user(user) }
        }
        return nil
    }
}
