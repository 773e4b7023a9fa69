import ArgumentParser
import Foundation
import WebView

/// `mg serve`: the sessions of this repository in the browser, live while they run.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the session views on 127.0.0.1: past sessions, and running ones live.",
        discussion: """
            Read-only, on 127.0.0.1 only, on a free port (or --port), with a random token in every \
            address. A running session's page follows its events as they happen (no reload). \
            Runs until Ctrl-C. To watch one session and stop with it, use `mg fix --web`.

            Examples:
              mg serve
              mg serve --port 8700
            """)

    @Option(help: "The port (default: a free one).")
    var port: UInt16 = 0

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try Startup.repository().workingDirectory
            let server = try await LiveServer.start(repositoryRoot: root, port: port)
            console.result("Serving the sessions of \(root) at \(server.url()) (Ctrl-C stops).")
            console.emit(["event": "serving", "url": server.url(), "port": Int(server.port)])
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
