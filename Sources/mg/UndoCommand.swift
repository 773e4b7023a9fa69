import ArgumentParser
import Foundation
import GitWorkspace
import Voting

/// `mg undo`: revert the last mg operation from the operation log.
struct UndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Revert the last mg operation (a merge-back or a clean); repeat to go further back.",
        discussion: """
            A merge-back is reverted exactly: the branch moves back and the files and index \
            entries it wrote get their earlier content. If you changed any of them since, mg \
            refuses (exit 1) and changes nothing. A clean is reverted by re-creating the removed \
            worktrees on their branches. The agents' branches are never touched.

            Examples:
              mg undo --list
              mg undo
            """)

    @Flag(help: "Show what `mg undo` would revert, newest first, without changing anything.")
    var list = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let root = try Startup.repository().workingDirectory
            let store = try SessionStore.openForCLI(repositoryRoot: root)
            if list {
                let entries = try store.operations(includeUndone: false)
                if console.json {
                    try SessionStore.printJSON(entries)
                } else if entries.isEmpty {
                    console.result("Nothing to undo.")
                } else {
                    console.result(entries.map(Self.line).joined(separator: "\n"))
                }
                return
            }
            let lock = try RepositoryLock(layout: ProjectLayout(repositoryRoot: root), purpose: "mg undo")
            defer { withExtendedLifetime(lock) {} }
            guard let entry = try store.lastUndoableOperation()
            else {
                console.result("Nothing to undo.")
                return
            }
            try OperationReverter(repositoryRoot: root).undo(entry.record)
            try store.markOperationUndone(entry.id)
            console.result("Undone: \(entry.record.summary).")
            console.emit(["event": "undone", "operation": Int(entry.id), "kind": entry.kind, "summary": entry.summary])
        }
    }

    /// One `--list` line: id, date, session, summary.
    static func line(_ entry: OperationLogEntry) -> String {
        let date = entry.createdAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        return "#\(entry.id)  \(date)  \(entry.session ?? "-")  \(entry.summary)"
    }
}
