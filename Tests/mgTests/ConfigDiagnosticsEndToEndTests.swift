import Foundation
import MGTestSupport
import Testing

/// What the built `mg` says about three MassGen configuration mistakes: an agent type checked
/// before its model, a file that is no agent configuration, and a missing key named by its host.
@Suite struct ConfigDiagnosticsEndToEndTests {
    /// Runs `mg config check FILE` on `yaml` in a fresh repository, with `env`.
    func check(_ yaml: String, env: [String: String] = [:]) throws -> GitCLI.Output {
        let repository = try TemporaryRepository()
        let file = repository.path + "/team.yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return try ProcessRunner.run(
            DemoEndToEndTests.mgPath, ["config", "check", file], in: repository.path,
            environment: FixFixture.environment.merging(env) { $1 })
    }

    @Test func theTypeIsCheckedBeforeTheModel() throws {
        // Claude Code needs no model.
        let claude = try check("agents:\n  - id: cc\n    backend: {type: claude_code, cwd: workspace1}\n")
        #expect(claude.status == 0, "\(claude.stderr)")
        #expect(claude.stdout.contains("cc: claude_code runs claude"), "\(claude.stdout)")
        // AG2 drives a model: the hint says where MassGen writes it.
        let ag2 = try check("agents:\n  - id: team\n    backend: {type: ag2}\n")
        #expect(ag2.status == 65)
        #expect(ag2.stderr.contains("`agents[0].backend.model` is required"), "\(ag2.stderr)")
        #expect(ag2.stderr.contains("agent_config.llm_config"), "\(ag2.stderr)")
        // AG2 with MassGen's group_config: its llm_config is the model.
        let group = try check(
            "agents:\n  - id: team\n    backend:\n      type: ag2\n      group_config:\n        llm_config: {model: gpt-4o-mini}\n        agents: [{type: assistant, name: Coder}]\n"
        )
        #expect(group.status == 0, "\(group.stderr)")
        #expect(
            group.stderr.contains(
                "group_config.agents is not supported by mg and is ignored: mg's AG2 adapter runs one assistant"
            ))
        // A misspelt type is the error, not the missing model.
        let typo = try check("agents:\n  - id: cc\n    backend: {type: cluade_code}\n")
        #expect(typo.status == 65)
        #expect(typo.stderr.contains("Unknown backend type \"cluade_code\""), "\(typo.stderr)")
        #expect(!typo.stderr.contains("is required"))
    }

    @Test func aFileWithoutAgentsIsRefusedNotReplacedByTheEnvironment() throws {
        let rateLimits = """
            # Rate Limit Configuration for MassGen Backends
            gemini:
              gemini-2.5-flash:
                rpm: 9
                tpm: 240000
            openai:
              gpt-5:
                rpm: 500
            """
        let run = try check(rateLimits, env: ["OPENAI_API_KEY": "sk-test-000000000000"])
        #expect(run.status == 65, "\(run.stdout)\n\(run.stderr)")
        #expect(
            run.stderr.contains(
                "this file has no `agents:` (or `agent:`) and no setting mg reads (its top-level keys: gemini, openai)"
            ))
        #expect(run.stderr.contains("Hint: pass a MassGen or mg agent configuration"))
        #expect(!run.stdout.contains("openai"), "no agents were taken from the environment instead")
        // Settings without agents still take the agents from the environment, as documented.
        let settingsOnly = try check(
            "orchestrator:\n  test_command: sh test.sh\n", env: ["OPENAI_API_KEY": "sk-test-000000000000"])
        #expect(settingsOnly.status == 0, "\(settingsOnly.stderr)")
        // An empty (comments-only) file, like `mg init`'s template, too.
        #expect(try check("# nothing yet\n", env: ["OPENAI_API_KEY": "sk-test-000000000000"]).status == 0)
    }

    @Test func aMissingKeyNamesTheOpenAICompatibleHost() throws {
        for (host, name, variable) in [
            ("api.studio.nebius.ai", "Nebius", "NEBIUS_API_KEY"),
            ("api.fireworks.ai", "Fireworks", "FIREWORKS_API_KEY"),
        ] {
            let run = try check(
                "agents:\n  - id: a\n    backend: {type: chatcompletion, model: some-model, base_url: \"https://\(host)/v1\"}\n",
                env: ["OPENAI_API_KEY": "sk-test-000000000000"])
            #expect(run.status == 69, "\(run.stderr)")
            #expect(
                run.stderr.contains(
                    "No API key for \(name) (\(host), OpenAI-compatible). Set \(variable) in the environment"),
                "\(run.stderr)")
            #expect(!run.stderr.contains("for OpenAI"))
        }
        let unknown = try check(
            "agents:\n  - id: a\n    backend: {type: chatcompletion, model: m, base_url: \"https://llm.example.com/v1\"}\n"
        )
        #expect(unknown.status == 69)
        #expect(
            unknown.stderr.contains(
                "No API key for the OpenAI-compatible server at llm.example.com. Set OPENAI_API_KEY"))
    }
}
