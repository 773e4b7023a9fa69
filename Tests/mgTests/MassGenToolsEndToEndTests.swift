import Foundation
import MGTestSupport
import Testing

/// MassGen's tool keys through the built `mg`, with scripted agents: `custom_tools` run by the
/// Python bridge in the agent's worktree, and the command-line policy refusing blocked commands.
@Suite struct MassGenToolsEndToEndTests {
    /// A MassGen-style tool file: it imports MassGen's result type (mg's bridge provides it
    /// when MassGen is not installed), writes into its working folder and prints.
    static let toolFile = """
        import os
        from massgen.tool._result import ExecutionResult, TextContent


        def add_numbers(a: int, b: int, unit: str = "") -> ExecutionResult:
            \"\"\"Add two numbers.

            Args:
                a: The first number.
                b: The second number.
            \"\"\"
            print("adding in", os.path.basename(os.getcwd()))
            with open("sum.txt", "w") as out:
                out.write(f"{a + b}\\n")
            return ExecutionResult(output_blocks=[TextContent(data=f"The sum of {a} and {b} is {a + b}{unit}")])


        def broken(x: str):
            raise ValueError("broken on " + x)

        """

    /// A repository with the calculator bug, the tool file and one scripted agent `fixer`
    /// whose backend section gets `backendExtra` (YAML lines indented under `backend:`).
    static func fixture(turns: [String], backendExtra: String) throws -> FixFixture {
        let fixture = try FixFixture(agents: [("fixer", turns)])
        try fixture.repository.write("tools/calc_tool.py", toolFile)
        _ = try fixture.repository.git("add", "tools")
        _ = try fixture.repository.git("commit", "-qm", "tools")
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            orchestrator:
              ballot_seed: \(FixFixture.positionalBallotSeed)
            agents:
              - id: fixer
                backend:
                  type: scripted
                  script: fixer.json
                  model: scripted
            \(backendExtra)
            """)
        return fixture
    }

    static let customTools = """
              custom_tools:
                - name: ["add_numbers", "broken"]
                  category: "math"
                  path: "tools/calc_tool.py"
                  function: ["add_numbers", "broken"]
                  preset_args: [{unit: " units"}, {}]
        """

    @Test func aCustomToolRunsInTheAgentsWorktreeAndItsAnswerLands() throws {
        let fixture = try Self.fixture(
            turns: [
                FixFixture.call("custom_tool__add_numbers", #"{"a": 2, "b": 3}"#),
                FixFixture.call("custom_tool__broken", #"{"x": "purpose"}"#),
                FixFixture.correctFix,
                FixFixture.answer("Fix add(); sum.txt from the tool."), FixFixture.voteForSelf,
            ], backendExtra: Self.customTools)

        let check = try fixture.mg(["config", "check"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(
            check.stdout.contains("custom tools custom_tool__add_numbers, custom_tool__broken"),
            "\(check.stdout)")
        #expect(!check.stderr.contains("custom_tools"), "no warning: \(check.stderr)")

        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        // The tool wrote sum.txt in the agent's worktree, so it is part of the answer that landed.
        #expect(try fixture.repository.git("show", "HEAD:sum.txt") == "5\n")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        // The results went back to the model as tool results (the transcript records what it was sent).
        let transcript = try fixture.transcript(agent: "fixer")
        #expect(transcript.contains(#""content":"The sum of 2 and 3 is 5 units"#))
        #expect(transcript.contains("adding in fixer"), "what the function printed is shown with its result")
        #expect(transcript.contains("custom_tool__broken raised ValueError: broken on purpose"))
    }

    @Test func aMissingFunctionOrFileStopsBeforeAnythingIsCreated() throws {
        let missingFunction = try Self.fixture(
            turns: [FixFixture.correctFix],
            backendExtra: """
                      custom_tools:
                        - {name: adder, path: tools/calc_tool.py, function: add_numbrs}
                """)
        let run = try missingFunction.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 65, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(run.stderr.contains("The custom tools of agent fixer cannot be used"))
        #expect(
            run.stderr.contains("has no function `add_numbrs` (it defines: add_numbers, broken)"),
            "\(run.stderr)")
        #expect(try missingFunction.agentBranches().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: missingFunction.path + "/.massgen/workspaces"))

        let missingFile = try Self.fixture(
            turns: [],
            backendExtra: """
                      custom_tools:
                        - {name: adder, path: tools/nope.py, function: add}
                """)
        let check = try missingFile.mg(["config", "check"])
        #expect(check.status == 65)
        #expect(
            check.stderr.contains(
                "`agents[0].backend.custom_tools[0].path` names a file that does not exist"),
            "\(check.stderr)")

        let badSchema = try Self.fixture(
            turns: [],
            backendExtra: """
                      custom_tools:
                        - {name: adder, path: tools/calc_tool.py, function: add_numbers, parameters: {type: string}}
                """)
        let schema = try badSchema.mg(["config", "check"])
        #expect(schema.status == 65)
        #expect(
            schema.stderr.contains("a JSON schema of type object (its `type` must be \"object\")"),
            "\(schema.stderr)")
    }

    @Test func blockedAndUnlistedCommandsAreRefused() throws {
        let fixture = try Self.fixture(
            turns: [
                FixFixture.call("run_command", #"{"command": "rm calc.sh"}"#),
                FixFixture.call("run_command", #"{"command": "curl http://example.invalid"}"#),
                FixFixture.call("run_command", #"{"command": "sh test.sh"}"#),
                FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForSelf,
            ],
            backendExtra: """
                      enable_mcp_command_line: true
                      command_line_allowed_commands: ["rm ", "sh "]
                      command_line_blocked_commands: ["rm .*"]
                """)
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(
            try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"), "calc.sh was not removed")
        let transcript = try fixture.transcript(agent: "fixer")
        #expect(transcript.contains("run_command refused: the command matches the blocked pattern `rm .*`"))
        #expect(transcript.contains("run_command refused: the command is not in the allowed list"))
        #expect(transcript.contains("not ok 1 - add"), "an allowed command ran")
    }
}
