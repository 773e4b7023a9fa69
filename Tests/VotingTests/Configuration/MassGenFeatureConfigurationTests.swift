import CodingAgent
import Foundation
import Testing
import Voting

/// How MassGen's tool, command-line, coordination and context-path keys are read.
@Suite final class MassGenFeatureConfigurationTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "mg-features-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/tools", withIntermediateDirectories: true)
        try "def f(x): return x\n".write(toFile: folder + "/tools/t.py", atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func parse(_ yaml: String) throws -> ResolvedConfiguration {
        try ConfigurationLoader.parse(
            yaml: yaml, file: folder + "/team.yaml", source: .explicit(folder + "/team.yaml"),
            workingDirectory: folder,
            environment: ["OPENAI_API_KEY": "sk-test"])
    }

    func agent(_ backend: String) -> String {
        "agents:\n  - id: a\n    backend:\n      type: openai\n      model: gpt-5\n" + backend
    }

    @Test func customToolsFollowMassGensSharedAndPairedFields() throws {
        let configuration = try parse(
            agent(
                """
                      custom_tools:
                        - name: ["first", "second"]
                          category: "math"
                          path: "tools/t.py"
                          function: ["f", "g"]
                          description: "Shared text"
                          preset_args: [{x: 1}, {y: "two"}]
                        - {function: two_num_tool}
                        - {path: "massgen/tool/_basic/_two_num_tool.py", function: two_num_tool, name: packaged, timeout_seconds: 5}
                        - name: typed
                          path: tools/t.py
                          function: f
                          parameters: {type: object, properties: {x: {type: integer}}, required: [x]}
                          default_params: {x: 3}

                """))
        let tools = try #require(configuration.agents.first?.customTools)
        #expect(
            tools.map(\.offeredName) == [
                "custom_tool__first", "custom_tool__second", "custom_tool__two_num_tool",
                "custom_tool__packaged", "custom_tool__typed",
            ])
        #expect(tools[0].source == .file(folder + "/tools/t.py") && tools[1].function == "g")
        #expect(tools[0].description == "Shared text" && tools[1].description == "Shared text")
        #expect(
            tools[0].presetArguments == ["x": .number(1)] && tools[1].presetArguments == ["y": .string("two")]
        )
        #expect(tools[2].source == .massGenBuiltIn)
        #expect(
            tools[3].source == .massGenPackage("massgen/tool/_basic/_two_num_tool.py")
                && tools[3].timeoutSeconds == 5)
        #expect(tools[4].parameters != nil)
        // `default_params` is not read by MassGen either: noted, nothing dropped.
        #expect(configuration.warnings.map(\.kind) == [.notNeeded])
    }

    @Test func badCustomToolsAreErrorsWithTheirPath() throws {
        let cases: [(String, String)] = [
            ("- {path: tools/t.py}", "`agents[0].backend.custom_tools[0].function` is required"),
            ("- {path: tools/missing.py, function: f}", "names a file that does not exist"),
            ("- {path: tools/t.py, function: [f, g], name: [a]}", "one value, or a list of 2"),
            (
                "- {path: tools/t.py, function: f, parameters: {type: object, required: [y]}}",
                "`required` names \"y\""
            ),
            (
                "- {path: tools/t.py, function: f}\n        - {path: tools/t.py, function: f}",
                "\"f\" appears twice"
            ),
        ]
        for (entry, message) in cases {
            #expect {
                try parse(agent("      custom_tools:\n        \(entry)\n"))
            } throws: { error in
                (error as? ConfigurationError)?.category == .badInput && "\(error)".contains(message)
            }
        }
    }

    @Test func commandLineKeysBecomeThePolicySandboxAndLimits() throws {
        let docker = try parse(
            agent(
                """
                      enable_mcp_command_line: true
                      command_line_execution_mode: docker
                      command_line_allowed_commands: ["python", "pytest"]
                      command_line_blocked_commands: "rm .*"
                      command_line_docker_network_mode: bridge
                      command_line_docker_memory_limit: 2g
                      command_line_docker_cpu_limit: 1.5
                      command_line_docker_image: massgen/mcp-runtime:latest

                """))
        let line = try #require(docker.agents.first?.commandLine)
        #expect(line.enabled == true && line.mode == .docker && line.network == true)
        #expect(line.memoryLimitBytes == 2 << 30 && line.cpuLimit == 1.5)
        #expect(
            line.policy.allowedPatterns == ["python", "pytest"] && line.policy.blockedPatterns == ["rm .*"])
        let applied = line.applied(to: CommandSettings())
        #expect(applied.sandbox == .required && applied.networkEnabled)
        #expect(applied.limits == CommandResourceLimits(memoryBytes: 2 << 30, cpuCount: 2))
        #expect(docker.warnings.map(\.path) == ["agents[0].backend.command_line_docker_image"])

        // In local mode the docker keys do nothing, as in MassGen; the policy still holds.
        let local = try parse(
            agent(
                "      command_line_blocked_commands: [\"rm\"]\n      command_line_docker_memory_limit: 512m\n"
            ))
        let localSettings = try #require(local.agents.first?.commandLine).applied(to: CommandSettings())
        #expect(
            localSettings.limits.isEmpty && localSettings.sandbox == .automatic
                && localSettings.policy.blockedPatterns == ["rm"])
        #expect(local.warnings.map(\.kind) == [.notNeeded])

        #expect(throws: ConfigurationError.self) {
            try parse(agent("      command_line_blocked_commands: [\"rm (\"]\n"))
        }
        #expect(throws: ConfigurationError.self) {
            try parse(agent("      command_line_docker_memory_limit: lots\n"))
        }
        #expect(throws: ConfigurationError.self) {
            try parse(agent("      command_line_execution_mode: podman\n"))
        }
    }

    @Test func coordinationKeysAreReadOrWarnedWithTheirReason() throws {
        let configuration = try parse(
            agent("")
                + """
                orchestrator:
                  answer_novelty_requirement: balanced
                  skip_coordination_rounds: true
                  debug_final_answer: "I created hello.txt"
                  coordination:
                    enable_planning_mode: true
                    planning_mode_instruction: "Plan only."
                    enable_agent_task_planning: true
                    max_orchestration_restarts: 0

                """)
        #expect(configuration.coding.answerNovelty == .balanced)
        #expect(configuration.coding.skipCoordinationRounds == true)
        #expect(configuration.coding.planningMode == PlanningMode(instruction: "Plan only."))
        #expect(
            configuration.warnings.map(\.path) == [
                "orchestrator.debug_final_answer", "orchestrator.coordination.enable_agent_task_planning",
            ])
        #expect(configuration.warnings.allSatisfy { $0.kind == .unsupported })
        #expect(configuration.warnings[0].description.contains("mg has no post-evaluation"))
        #expect(throws: ConfigurationError.self) {
            try parse(agent("") + "orchestrator:\n  answer_novelty_requirement: high\n")
        }
    }

    @Test func contextPathsAreClassifiedForTheRepository() throws {
        let repository = folder + "/repo"
        let outsideRead = folder + "/reference"
        let outsideWrite = folder + "/site"
        for path in [
            repository + "/docs", repository + "/src/feature", repository + "/.git", outsideRead,
            outsideWrite,
        ] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try "a\n".write(toFile: outsideWrite + "/page.css", atomically: true, encoding: .utf8)
        func entry(_ path: String, _ permission: String) -> ContextPath {
            var entry = ContextPath(path: path, permission: permission, protectedPaths: [])
            entry.absolutePath = path
            return entry
        }
        let plan = try ContextPathPlan.plan(
            [
                entry(repository + "/docs", "read"), entry(repository + "/src/feature", "write"),
                entry(outsideRead, "read"),
                entry(outsideWrite, "write"), entry(outsideWrite + "/page.css", "write"),
            ], repositoryRoot: repository)
        #expect(plan.readOnlyInside == ["/docs/"])
        #expect(plan.writeScopes == ["src/feature"])
        #expect(plan.outside.map(\.path) == [outsideRead, outsideWrite, outsideWrite + "/page.css"])
        #expect(plan.outside.map(\.isFile) == [false, false, true])
        #expect(plan.outsideWrites.count == 2 && !plan.coversRepositoryReadOnly)
        #expect(plan.promptText.contains("\(outsideRead) (folder, read-only)"))
        // The repository itself as a write path lifts the limit to the other write paths.
        let whole = try ContextPathPlan.plan(
            [entry(repository, "write"), entry(repository + "/src/feature", "write")],
            repositoryRoot: repository)
        #expect(whole.writeScopes.isEmpty)
        // A read path over the whole repository: the winner stays on its branch.
        let readOnly = try ContextPathPlan.plan([entry(folder, "read")], repositoryRoot: repository)
        #expect(readOnly.coversRepositoryReadOnly)
        for (path, reason) in [
            (folder, "contains the repository"), (repository + "/.git", "repository's metadata"),
        ] {
            #expect {
                try ContextPathPlan.plan([entry(path, "write")], repositoryRoot: repository)
            } throws: { error in
                (error as? ConfigurationError)?.category == .badInput && "\(error)".contains(reason)
            }
        }
    }
}
