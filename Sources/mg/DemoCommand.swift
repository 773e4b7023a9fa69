import ArgumentParser
import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// `mg demo`: a real `mg fix` session on a sample repository, with three scripted agents.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Watch mg fix a real bug in a sample repository (scripted agents: no model, key or network).",
        discussion: """
            Creates a small Python repository whose test fails (stats.mean() floors fractions and \
            crashes on an empty list), then runs the real `mg fix` machinery on it with three \
            scripted agents — one right fix, one wrong, one partial: real worktrees, commits, test \
            runs, votes and a merge. Only the model is scripted. It needs sh and python3.

            Example:
              mg demo --directory /tmp
            """)

    @Option(help: "Where to create the sample repository.")
    var directory: String = FileManager.default.temporaryDirectory.path

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try CodingDemo.createRepository(in: directory)
            console.info("Sample repository: \(root)")
            console.info("Task: \(CodingDemo.task)")
            console.info("Agents: careful, hasty, partial — scripted (recorded turns), not a real model.\n")
            var meters: [String: CostMeter] = [:]
            let seed = BallotPlan.randomSeed()
            var agents = CodingDemo.agents(ballotSeed: seed)
            for index in agents.indices {
                let meter = CostMeter()
                agents[index].costMeter = meter
                meters[agents[index].id] = meter
            }
            let specs = agents
            // A real, recorded session: mg log, mg sessions, mg undo and mg merge work in the
            // demo repository afterwards, as the closing text says.
            let manager = CodingSessionManager(
                repositoryRoot: root, store: try SessionStore.openForCLI(repositoryRoot: root))
            let display = InterruptibleSession(console: console, agentIDs: specs.map(\.id), meters: meters)
            let outcome = try await display.run { events in
                try await manager.start(
                    task: CodingDemo.task, agents: specs, settings: CodingDemo.settings(ballotSeed: seed),
                    events: events
                ).outcome
            }
            console.info("")
            SessionReport(outcome: outcome, agents: specs).print(to: console)
            for line in Self.epilogue(root: root, session: outcome.session) { console.info(line) }
            if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
        }
    }

    /// What to look at next, and how to use a real model.
    static func epilogue(root: String, session: String) -> [String] {
        [
            "",
            "Look around:",
            "  cd \(root)",
            "  git log --oneline -3 && sh test.sh     # the fix landed as one commit; the tests pass",
            "  mg log                                 # the session: answers, votes, evidence, the decision",
            "  mg branches                            # every agent's branch and its answers",
            "  git log --all --graph --oneline        # the base, each agent's commits, the merge",
            "  mg undo                                # takes the merge back (mg sessions lists \(session))",
            "",
            "These agents were scripted: their turns were recorded in mg, no model was called.",
            "To use a real model, in your own repository:",
            "  export ANTHROPIC_API_KEY=…   (or OPENAI_API_KEY, GEMINI_API_KEY) and run: mg fix \"describe the bug\"",
            "  or `mg init` and list agents in .massgen/config.yaml (MassGen format; see docs/configuration.md)",
            "  or a local OpenAI-compatible server (llama.cpp, vLLM, Ollama), e.g. in .massgen/config.yaml:",
            "      agents:",
            "        - id: local",
            "          backend: {type: chatcompletion, model: qwen2.5-coder, base_url: \"http://127.0.0.1:8089/v1\"}",
        ]
    }
}
