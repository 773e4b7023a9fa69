import ArgumentParser
import Voting
import WebView

/// `--web` and `--report FILE` of commands that run a session.
struct WebOptions: ParsableArguments {
    @Flag(help: "Serve a live view of the session on 127.0.0.1 (address printed at start); it stops with the session.")
    var web = false

    @Option(name: .customLong("report"), help: "Write the session's HTML report to FILE at the end.")
    var reportFile: String?

    /// Starts the live view when asked, fixing the session id in `settings` so its address is known.
    func start(settings: inout OrchestratorSettings, repositoryRoot: String, console: Console) async throws
        -> LiveServer?
    {
        guard web else { return nil }
        let session = settings.sessionID ?? OrchestratorSettings.generateSessionID()
        settings.sessionID = session
        let server = try await LiveServer.start(repositoryRoot: repositoryRoot)
        console.result("Live view: \(server.url(session: session))")
        return server
    }

    /// Lets open pages receive the end, stops the server, writes the report when asked.
    func finish(_ server: LiveServer?, session: String, repositoryRoot: String, console: Console) async throws {
        await server?.finish()
        guard let reportFile else { return }
        let written = try ReportWriter.write(
            session: session, repositoryRoot: repositoryRoot, to: reportFile, workingDirectory: Startup.workingDirectory)
        console.result("Report: \(written.path) (\(written.bytes.formatted()) bytes).")
    }
}
