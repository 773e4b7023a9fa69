import ArgumentParser
import Foundation
import Voting

/// `mg log [SESSION]`: one session, turn by turn.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show a session turn by turn: iterations, votes, tests, merge.",
        discussion: """
            Without SESSION, the latest session. Paths inside agent worktrees are shown \
            repository-relative. --json prints the whole record (turns, agents, iterations, \
            votes, test results, similarity, operations).

            Files attached to a turn (--image, --audio, …) are listed with their copy under \
            .massgen/sessions/<session>/media/ and their SHA-256.

            Examples:
              mg log
              mg log 20250101-120000-ab12 --json
            """)

    @Argument(help: "The session id (default: the latest).")
    var session: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let store = try SessionStore.openForCLI(repositoryRoot: try Startup.repository().workingDirectory, reading: true)
            // A turn's run id (`<session>-t2`, as branches show it) names its session.
            let id = try store.sessionID(orLatest: try session.map { try store.locate(run: $0)?.session ?? $0 })
            let log = try store.log(of: id)
            if console.json {
                try SessionStore.printJSON(log)
            } else {
                console.result(log.rendered() + Self.attachmentLines(log))
            }
        }
    }

    /// `attachments:` then one line per attached file (turn, MIME type, stored path, hash), or
    /// nothing when the session has none.
    static func attachmentLines(_ log: SessionLog) -> String {
        let lines = log.turns.flatMap { turn in
            turn.attachments.map { media in
                let hash = media.sha256.isEmpty ? "by URL" : "sha256 " + media.sha256.prefix(12) + "…"
                return "  turn \(turn.turn.number): \(media.mime) \(media.path) (\(hash))"
            }
        }
        return lines.isEmpty ? "" : "attachments:\n" + lines.joined(separator: "\n") + "\n"
    }
}
