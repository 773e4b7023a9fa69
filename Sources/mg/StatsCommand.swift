import ArgumentParser
import Foundation
import Voting

/// `mg stats`: how each agent and model has done across this repository's sessions.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per agent and model: sessions, answers, wins, tests passed, votes for failing answers, cost.",
        discussion: """
            Read from the session store (.massgen/sessions/): every coding session of this \
            repository, not imported MassGen history or `mg review` runs. OVERRULED counts the \
            turns where the agent voted for an answer other than the chosen one and the test \
            evidence overruled the vote; VOTES FOR FAILING counts its votes for answers whose \
            tests failed. Means are per turn.

            Examples:
              mg stats
              mg stats --json
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let store = try SessionStore.openForCLI(repositoryRoot: try Startup.repository().workingDirectory, reading: true)
            let stats = try store.agentStats()
            if console.json {
                try SessionStore.printJSON(stats)
                return
            }
            if stats.isEmpty {
                console.result("No sessions yet. Start one with `mg fix \"TASK\"`.")
                return
            }
            console.result(AgentStats.table(stats))
        }
    }
}
