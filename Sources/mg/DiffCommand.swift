import ArgumentParser
import GitWorkspace

/// `mg diff AGENT`: what an agent changed.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show an agent's change against the session base, an earlier answer, or another agent.",
        discussion: """
            Renames are detected as `git diff -M` does. Coloured on a terminal unless NO_COLOR or \
            --no-color.

            Examples:
              mg diff agent1
              mg diff agent1 --iteration 2
              mg diff agent2 --against agent1 --stat
            """)

    @Argument(help: "The agent whose change to show.")
    var agent: String

    @Option(help: "Show answer K (1-based) instead of the latest.")
    var iteration: Int?

    @Option(help: "Compare with this agent's latest answer instead of the session base.")
    var against: String?

    @Option(help: "The session (needed when the agent appears in several).")
    var session: String?

    @Flag(help: "Show a diffstat instead of the patch.")
    var stat = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let diff = try Startup.mgRepository(reading: true).diff(
                agent: agent, session: session, iteration: iteration, against: against)
            if stat {
                console.result(diff.changes.stat(width: 80), terminator: false)
            } else {
                console.result(colorize(diff.changes.patch, console: console), terminator: false)
            }
        }
    }

    private func colorize(_ patch: String, console: Console) -> String {
        guard console.color else { return patch }
        return patch.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let text = String(line)
            if text.hasPrefix("+++") || text.hasPrefix("---") || text.hasPrefix("diff ") || text.hasPrefix("index ") {
                return console.paint(text, "1")
            }
            if text.hasPrefix("@@") { return console.paint(text, "36") }
            if text.hasPrefix("+") { return console.paint(text, "32") }
            if text.hasPrefix("-") { return console.paint(text, "31") }
            return text
        }.joined(separator: "\n")
    }
}
