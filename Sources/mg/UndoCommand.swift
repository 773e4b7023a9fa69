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

    @Flag(help: "Leave the newest operation as it is, so the next `mg undo` goes further back.")
    var skip = false

    @Argument(help: "Undo this operation (an id from `mg undo --list`) instead of the newest.")
    var operation: Int64?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let repository = try Startup.mgRepository(reading: list)
            if list {
                let (entries, next) = try repository.undoList()
                if console.json {
                    try SessionStore.printJSON(entries)
                } else if entries.isEmpty {
                    console.result("Nothing to undo.")
                } else {
                    var lines = entries.map(Self.line)
                    // The newest entry is what `mg undo` acts on: say what it would do.
                    if let next { lines[0] += Self.nextNote(next) }
                    console.result(lines.joined(separator: "\n"))
                }
                return
            }
            if skip {
                guard let skipped = try repository.skip() else { return console.result("Nothing to undo.") }
                console.result("Skipped #\(skipped.id): \(skipped.summary) stays as it is; `mg undo` now goes further back.")
                console.emit(["event": "skipped", "operation": Int(skipped.id), "summary": skipped.summary])
                return
            }
            let result = try repository.undo(operation: operation)
            console.result(Self.message(result))
            switch result {
            case .nothing: break
            case .reverted(let entry), .neverLanded(let entry), .repaired(let entry):
                let landed: Bool = if case .neverLanded = result { false } else { true }
                console.emit([
                    "event": "undone", "operation": Int(entry.id), "kind": entry.kind, "summary": entry.summary,
                    "landed": landed,
                ])
            }
        }
    }

    /// What `mg undo` and chat's `/undo` say.
    static func message(_ result: UndoResult) -> String {
        switch result {
        case .nothing:
            return "Nothing to undo."
        case .reverted(let entry):
            return "Undone: \(entry.record.summary)."
        case .repaired(let entry):
            return "Repaired: \(entry.record.summary) had not finished; what it left behind was put back."
        case .neverLanded(let entry):
            return "Nothing to revert for \(entry.record.summary): everything it writes is still as it was before "
                + "(it never landed — mg stopped before carrying it out — or it was reverted by hand). Marked as undone."
        }
    }

    /// What `mg undo` would do with the newest entry.
    static func nextNote(_ standing: OperationReverter.Standing) -> String {
        switch standing {
        case .asLeft: return "  ← next: `mg undo` reverts this"
        case .asBefore: return "  ← next: never landed (or reverted by hand); `mg undo` only marks it"
        case .changedSince(let reason): return "  ← next: changed since (\(reason)); `mg undo` would refuse"
        }
    }

    static func line(_ entry: OperationLogEntry) -> String {
        let date = entry.createdAt.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        return "#\(entry.id)  \(date)  \(entry.session ?? "-")  \(entry.summary)"
    }
}
