import CodingAgent
import Testing

@testable import Voting

/// The environment an external program starts with: its own provider's credentials and nothing
/// else secret; git's redirecting variables never.
@Suite struct ExternalAgentCredentialsTests {
    static let user: [String: String] = [
        "PATH": "/usr/bin:/bin", "HOME": "/home/u", "LANG": "C.UTF-8", "HTTPS_PROXY": "http://proxy:3128",
        "ANTHROPIC_API_KEY": "sk-ant", "CLAUDE_CODE_OAUTH_TOKEN": "oauth", "OPENAI_API_KEY": "sk-openai",
        "GEMINI_API_KEY": "g", "GITHUB_TOKEN": "ghp", "DB_PASSWORD": "pw", "AWS_SECRET_ACCESS_KEY": "aws",
        "AWS_REGION": "eu-west-1", "STRIPE_SECRET_KEY": "sk_live", "GIT_DIR": "/elsewhere/.git",
    ]

    func environment(_ kind: ExternalAgentSpec.Kind, _ extra: [String: String] = [:]) -> [String: String] {
        let inputs = ExternalCommandLine.Inputs(
            agent: "a", worktree: "/w", prompt: "p", taskFile: "/t", contextFile: "/c", runFolder: "/r",
            coordination: nil, adapterFolder: "/ad", environment: Self.user.merging(extra) { $1 })
        return ExternalCommandLine.make(ExternalAgentSpec(kind: kind), inputs).launch.environment
    }

    func secrets(_ environment: [String: String]) -> Set<String> {
        Set(environment.keys.filter { EnvironmentScrubber.isScrubbed($0) })
    }

    @Test func eachProgramGetsOnlyItsOwnProvidersCredentials() {
        #expect(secrets(environment(.claudeCode)) == ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN"])
        #expect(secrets(environment(.codex)) == ["OPENAI_API_KEY"])
        #expect(secrets(environment(.aider)) == ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "OPENAI_API_KEY", "GEMINI_API_KEY"])
        #expect(secrets(environment(.command)) == secrets(environment(.aider)))
        #expect(secrets(environment(.langchain)) == ["OPENAI_API_KEY"])
        for kind in ExternalAgentSpec.Kind.allCases {
            let seen = environment(kind)
            #expect(seen["GIT_DIR"] == nil && seen["GITHUB_TOKEN"] == nil && seen["DB_PASSWORD"] == nil, "\(kind)")
            #expect(seen["PATH"] == "/usr/bin:/bin" && seen["MG_WORKTREE"] == "/w", "\(kind)")
            if kind != .ag2 && kind != .langchain {
                #expect(seen["HOME"] == "/home/u" && seen["HTTPS_PROXY"] == "http://proxy:3128", "\(kind)")
            }
        }
    }

    @Test func claudeCodeOnBedrockKeepsItsCloudCredentials() {
        #expect(environment(.claudeCode)["AWS_SECRET_ACCESS_KEY"] == nil)
        let bedrock = environment(.claudeCode, ["CLAUDE_CODE_USE_BEDROCK": "1"])
        #expect(bedrock["AWS_SECRET_ACCESS_KEY"] == "aws" && bedrock["AWS_REGION"] == "eu-west-1")
        #expect(bedrock["OPENAI_API_KEY"] == nil)
    }
}
