import ArgumentParser
import Foundation
import GitWorkspace
import Voting

/// `mg sessions`: the sessions recorded in `.massgen/sessions/`, newest first.
struct SessionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sessions",
        abstract: "List recorded sessions: id, start, turns, status, winner, tokens, cost.",
        discussion: """
            A session whose mg process died shows as interrupted (`mg status` has the details; \
            `mg continue --resume` or `mg clean --session` deal with it). Imported MassGen \
            history (`mg migrate`) shows as imported.

            Examples:
              mg sessions
              mg sessions --limit 5 --json
            """)

    @Option(help: "Show at most this many sessions.")
    var limit: Int = 50

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let store = try SessionStore.openForCLI(
                repositoryRoot: try Startup.repository().workingDirectory, reading: true)
            let sessions = try store.listSessions(limit: limit)
            if console.json {
                try SessionStore.printJSON(sessions)
                return
            }
            if sessions.isEmpty {
                console.result("No sessions yet. Start one with `mg fix \"TASK\"`.")
                return
            }
            console.result(Self.table(sessions))
        }
    }

    /// "41.2k+2.3k (83% cached)": prompt + completion tokens and the share of the prompt served
    /// from the provider's cache; "-" without model calls.
    static func tokens(_ summary: SessionSummary) -> String {
        guard summary.promptTokens + summary.completionTokens > 0 else { return "-" }
        func short(_ value: Int) -> String {
            value >= 10_000 ? "\(value / 1000)k" : value >= 1000 ? String(format: "%.1fk", Double(value) / 1000) : "\(value)"
        }
        var text = "\(short(summary.promptTokens))+\(short(summary.completionTokens))"
        if summary.cachedTokens > 0, summary.promptTokens > 0 {
            text += " (\(summary.cachedTokens * 100 / summary.promptTokens)% cached)"
        }
        return text
    }

    /// The human table: one row per session.
    static func table(_ sessions: [SessionSummary]) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let rows = sessions.map { summary in
            [
                summary.id, formatter.string(from: summary.startedAt), String(summary.turns), summary.status.rawValue,
                summary.winner ?? "-", tokens(summary), String(format: "$%.4f", summary.costUSD),
                String(summary.task.prefix(50)),
            ]
        }
        let header = ["SESSION", "STARTED", "TURNS", "STATUS", "WINNER", "TOKENS", "COST", "TASK"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension SessionStore {
    /// Opens the store of the repository at `repositoryRoot` (`reading`: without creating it).
    static func openForCLI(repositoryRoot: String, reading: Bool = false) throws(SessionStoreError) -> SessionStore {
        let layout = ProjectLayout(repositoryRoot: repositoryRoot)
        return reading ? try SessionStore.openForReading(layout: layout) : try SessionStore.open(layout: layout)
    }

    /// Prints `value` on stdout as JSON Lines, like every `--json` output: one key-sorted object
    /// per line — each element of an array on its own line — with unescaped slashes.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        // snake_case like the session events and every other `--json` object (`cost_usd`, `started_at`).
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        var lines = [String(decoding: data, as: UTF8.self)]
        if let array = try JSONSerialization.jsonObject(with: data) as? [Any] {
            lines = try array.map {
                String(
                    decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes]),
                    as: UTF8.self)
            }
        }
        LiveViewSink.write(lines.map { $0 + "\n" }.joined(), to: STDOUT_FILENO)
    }
}
