import CodingAgent

/// Which of the user's secrets an external program receives: only its own provider's
/// credentials, never the rest (`GITHUB_TOKEN`, passwords, cloud keys, other providers' keys).
///
/// A CLI agent runs with the user's environment because it needs its own login, but everything
/// else that `EnvironmentScrubber` would remove stays out: the program runs model-written
/// commands too, and a key it never needed is a key it cannot leak.
enum ExternalAgentCredentials {
    /// `environment` without git's redirecting variables and without the secrets `kind` does not
    /// need; everything that is no secret (PATH, HOME, locale, proxies) passes.
    static func environment(for kind: ExternalAgentSpec.Kind, from environment: [String: String]) -> [String: String] {
        let prefixes = credentialPrefixes(for: kind, environment: environment)
        return environment.filter { name, _ in
            let upper = name.uppercased()
            if EnvironmentScrubber.gitRedirects.contains(upper) { return false }
            guard EnvironmentScrubber.isScrubbed(upper) else { return true }
            return prefixes.contains { upper.hasPrefix($0) }
        }
    }

    /// The name prefixes of the credentials `kind` may see.
    static func credentialPrefixes(for kind: ExternalAgentSpec.Kind, environment: [String: String]) -> [String] {
        func set(_ name: String) -> Bool { !(environment[name] ?? "").isEmpty && environment[name] != "0" }
        switch kind {
        case .claudeCode:
            // Claude Code's own key or login token; Bedrock and Vertex only when it is told to use them.
            var prefixes = ["ANTHROPIC_", "CLAUDE_"]
            if set("CLAUDE_CODE_USE_BEDROCK") { prefixes += ["AWS_"] }
            if set("CLAUDE_CODE_USE_VERTEX") { prefixes += ["GOOGLE_APPLICATION_CREDENTIALS", "VERTEX"] }
            return prefixes
        case .codex:
            return ["OPENAI_", "CODEX_", "AZURE_OPENAI"]
        case .aider, .command:
            // Either may call any provider (aider's --model names it): model-provider keys only.
            return EnvironmentScrubber.providerPrefixes
        case .ag2, .langchain:
            // mg's adapters: the one key they are handed (ExternalCommandLine sets it).
            return []
        }
    }
}
