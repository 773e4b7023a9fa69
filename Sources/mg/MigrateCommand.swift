import ArgumentParser
import Foundation
import GitWorkspace
import Voting

/// `mg migrate`: import a MassGen `.massgen/` as read-only history.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Import MassGen sessions and logs from .massgen/ as read-only history.",
        discussion: """
            Reads sessions/session_*/turn_N/ (metadata.json, answer.txt), SESSION_SUMMARY.txt \
            and massgen_logs/; never moves or deletes them. Running it again imports only what \
            is new. Imported sessions show in `mg sessions` and `mg log` as imported.

            Examples:
              mg migrate
              mg migrate --json
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try Startup.repository().workingDirectory
            let layout = ProjectLayout(repositoryRoot: root)
            let store = try SessionStore.openForCLI(repositoryRoot: root)
            let report = MassGenImporter(layout: layout, store: store).importAll()
            for warning in report.warnings { console.warning(warning) }
            for failure in report.failures {
                console.warning("could not import .massgen/\(failure.path): \(failure.reason) (a re-run tries it again)")
            }
            if console.json {
                try SessionStore.printJSON(report)
                if !report.failures.isEmpty { throw ExitCode(ExitStatus.taskFailed.rawValue) }
                return
            }
            for session in report.sessions { console.info("imported session \(session)") }
            for turn in report.turns { console.info("imported turn \(turn)") }
            console.result(
                "Imported \(report.sessions.count) session(s) and \(report.turns.count) turn(s); "
                    + "\(report.alreadyImported) already imported"
                    + (report.failures.isEmpty ? "." : "; \(report.failures.count) folder(s) failed (see above)."))
            if !report.failures.isEmpty { throw ExitCode(ExitStatus.taskFailed.rawValue) }
        }
    }
}
