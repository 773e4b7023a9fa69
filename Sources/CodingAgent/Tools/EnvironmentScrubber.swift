/// Removes credentials and repository-redirecting variables from a command's environment.
///
/// Agents run model-written shell commands; a provider key in their environment could be
/// printed into a transcript or sent anywhere. `GIT_DIR` and friends would make `git` inside
/// the worktree operate on another repository (e.g. when mg itself runs from a git hook).
public enum EnvironmentScrubber {
    /// Variables that redirect git to other metadata.
    public static let gitRedirects: Set<String> = [
        "GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES",
    ]

    /// Prefixes of model-provider credential variables (what a multi-provider program such as
    /// aider may need).
    public static let providerPrefixes = [
        "OPENAI", "ANTHROPIC", "CLAUDE", "GEMINI", "GOOGLE_API", "XAI", "GROK", "AZURE_OPENAI", "GROQ", "MISTRAL",
        "COHERE", "DEEPSEEK", "OPENROUTER", "TOGETHER", "FIREWORKS", "PERPLEXITY", "CEREBRAS", "ZAI", "ZHIPU",
        "MOONSHOT", "KIMI", "DASHSCOPE", "QWEN", "HF_TOKEN", "HUGGING", "REPLICATE", "NVIDIA_API", "LMSTUDIO_API",
        "OLLAMA_API", "NEBIUS", "SAMBANOVA", "VOYAGE",
    ]

    /// Prefixes of provider and cloud credential variables.
    static let credentialPrefixes =
        providerPrefixes + [
            "GOOGLE_APPLICATION_CREDENTIALS", "VERTEX", "AZURE", "AWS_ACCESS", "AWS_SECRET", "AWS_SESSION",
        ]

    /// Substrings that mark a variable as a secret whatever its prefix.
    static let secretMarkers = ["API_KEY", "APIKEY", "API_TOKEN", "ACCESS_TOKEN", "AUTH_TOKEN", "SECRET", "PASSWORD", "CREDENTIAL"]

    /// Whether `name` must not reach a command.
    public static func isScrubbed(_ name: String) -> Bool {
        let upper = name.uppercased()
        if gitRedirects.contains(upper) { return true }
        if credentialPrefixes.contains(where: { upper.hasPrefix($0) }) { return true }
        if secretMarkers.contains(where: { upper.contains($0) }) { return true }
        return upper == "GITHUB_TOKEN" || upper == "GH_TOKEN" || upper.hasSuffix("_TOKEN") || upper.hasSuffix("_KEY")
    }

    /// `environment` without the scrubbed variables.
    public static func scrub(_ environment: [String: String]) -> [String: String] {
        environment.filter { !isScrubbed($0.key) }
    }
}
