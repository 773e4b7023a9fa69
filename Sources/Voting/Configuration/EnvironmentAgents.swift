import CodingAgent

/// Agents chosen from the provider keys in the environment when no config names any.
///
/// Several agents on the same model still differ: each gets its own system-prompt variant (and,
/// where the model takes one, its own temperature), so their answers diverge and voting has
/// something to choose from.
public enum EnvironmentAgents {
    /// The default agent count without `--agents`.
    public static let defaultCount = 3

    /// One provider mg can pick by itself: the variables holding its key and the model it uses.
    struct Provider {
        let type: BackendType
        let variables: [String]
        let model: String
        let id: String
    }

    static let providers: [Provider] = [
        Provider(type: .openai, variables: ["OPENAI_API_KEY"], model: "gpt-5", id: "openai"),
        Provider(type: .claude, variables: ["ANTHROPIC_API_KEY"], model: "claude-sonnet-4-5", id: "claude"),
        Provider(type: .gemini, variables: ["GEMINI_API_KEY", "GOOGLE_API_KEY"], model: "gemini-2.5-pro", id: "gemini"),
    ]

    /// The prompt variants replicas cycle through.
    public static let promptVariants: [String] = [
        "Prefer the smallest change that fixes the problem; do not refactor unrelated code.",
        "Start by writing or running a test that reproduces the problem, then fix the root cause.",
        "Read the surrounding code first and fix the problem the way the codebase already solves similar ones.",
        "Consider edge cases and error handling; make the fix robust, then keep the diff focused.",
    ]

    /// The temperatures replicas cycle through (only for models that accept one).
    public static let temperatures: [Double] = [0.2, 0.7, 1.0, 0.4]

    /// `count` agents (default 3) over the providers whose keys are set, in the order OpenAI,
    /// Anthropic, Gemini; throws `.noBackendAvailable` when none is set.
    public static func agents(
        environment: [String: String], count: Int?
    ) throws(ConfigurationError) -> (agents: [AgentConfiguration], variables: [String]) {
        var available: [(Provider, String)] = []
        for provider in providers {
            if let variable = provider.variables.first(where: { !(environment[$0] ?? "").isEmpty }) {
                available.append((provider, variable))
            }
        }
        guard !available.isEmpty else { throw .noBackendAvailable }
        let total = count ?? max(defaultCount, available.count)
        var agents: [AgentConfiguration] = []
        for index in 0..<total {
            let (provider, variable) = available[index % available.count]
            let round = index / available.count
            let id = round == 0 ? provider.id : "\(provider.id)-\(round + 1)"
            let backend = BackendConfiguration(type: provider.type.rawValue, model: provider.model)
            agents.append(
                variant(
                    AgentConfiguration(id: id, backend: backend, backendType: provider.type, apiKeySource: "$" + variable),
                    number: index, of: total))
        }
        return (agents, available.map(\.1))
    }

    /// Cycles `agents` to `count` entries; copies get ids `<id>-2`, `<id>-3`, … and their own
    /// prompt variant and temperature. Fewer than configured keeps the first `count`.
    public static func replicate(_ agents: [AgentConfiguration], to count: Int) -> [AgentConfiguration] {
        guard !agents.isEmpty, count != agents.count else { return agents }
        if count < agents.count { return Array(agents.prefix(count)) }
        var result = agents
        for index in agents.count..<count {
            var copy = agents[index % agents.count]
            copy.id = "\(copy.id)-\(index / agents.count + 1)"
            result.append(variant(copy, number: index, of: count))
        }
        return result
    }

    /// Gives the agent its variant when there are several agents.
    static func variant(_ agent: AgentConfiguration, number: Int, of total: Int) -> AgentConfiguration {
        guard total > 1 else { return agent }
        var agent = agent
        let hint = promptVariants[number % promptVariants.count]
        agent.systemMessage = agent.systemMessage.map { $0 + "\n\n" + hint } ?? hint
        if acceptsTemperature(agent) {
            agent.backend.settings.temperature = temperatures[number % temperatures.count]
        }
        return agent
    }

    /// OpenAI's reasoning models reject `temperature`.
    static func acceptsTemperature(_ agent: AgentConfiguration) -> Bool {
        let model = agent.backend.model.lowercased()
        if agent.backendType == .openai || agent.backendType == .azureOpenAI {
            return !["gpt-5", "o1", "o3", "o4"].contains { model.hasPrefix($0) }
        }
        return true
    }
}
