import ArgumentParser
import Foundation
import WebView

/// `mg report [SESSION] [-o FILE] [--open]`: one session as a self-contained HTML page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a session's HTML report: timeline, answers and diffs, votes, similarity, cost.",
        discussion: """
            One self-contained file (inline CSS and script, no network), built from \
            .massgen/sessions/ alone, so it works for any past session, reviews included. \
            Without SESSION, the latest session; without -o, \
            .massgen/sessions/<session>/report.html.

            Examples:
              mg report
              mg report 20261125-153012-ab12 -o report.html --open
            """)

    @Argument(help: "The session id (default: the latest).")
    var session: String?

    @Option(name: [.short, .customLong("output")], help: "Where to write the report.")
    var output: String?

    @Flag(help: "Open the report in the browser afterwards.")
    var open = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try Startup.repository().workingDirectory
            let written = try ReportWriter.write(
                session: session, repositoryRoot: root, to: output, workingDirectory: Startup.workingDirectory)
            console.result("Report of session \(written.session): \(written.path) (\(written.bytes.formatted()) bytes).")
            console.emit(["event": "report_written", "session": written.session, "path": written.path, "bytes": written.bytes])
            if open && !ReportWriter.open(written.path, environment: Startup.environment) {
                console.warning("No browser opener (xdg-open) was found; open \(written.path) yourself.")
            }
        }
    }
}
