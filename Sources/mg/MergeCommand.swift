import ArgumentParser
import Foundation
import GitWorkspace
import Voting

extension MergeMode: ExpressibleByArgument {}

/// `mg merge AGENT`: land an agent's answer by hand.
struct MergeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge an agent's latest answer into your current branch or working tree.",
        discussion: """
            Safe like the automatic merge-back: if your branch or the files the change touches \
            moved since the session started, mg refuses (exit 2), changes nothing, and says how \
            to merge by hand. The merge is logged; `mg undo` reverts it. Default mode: squash when the session started from a clean tree, \
            apply (uncommitted edits) when it included your uncommitted work.

            Examples:
              mg merge agent2
              mg merge agent2 --mode apply
              mg merge agent1 --session 20250101-120000 --mode no-ff
            """)

    @Argument(help: "The agent whose answer to merge.")
    var agent: String

    @Option(help: "squash, apply, no-ff or none.")
    var mode: MergeMode?

    @Option(help: "The session (needed when the agent appears in several).")
    var session: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let result = try Startup.mgRepository().merge(agent: agent, session: session, mode: mode, via: "mg merge")
            Self.report(result, console: console)
        }
    }

    /// What `mg merge` and chat's `/merge` print.
    static func report(_ result: HandMergeResult, console: Console) {
        if let warning = warning(result) { console.warning(warning) }
        console.result(message(result))
        console.emit([
            "event": "merged", "branch": result.branch.shortName, "mode": result.mode.rawValue,
            "summary": result.operation?.summary ?? "", "failed_gate": result.failedGate?.rule ?? NSNull(),
        ])
    }

    /// Said before the result when the answer had failed the gate.
    static func warning(_ result: HandMergeResult) -> String? {
        result.failedGate.map {
            "\(result.branch.agent)'s answer failed the gate in session \(result.branch.session): \($0.rule). "
                + "Merged anyway, as you asked."
        }
    }

    /// The result line.
    static func message(_ result: HandMergeResult) -> String {
        if let record = result.operation { return "Merged: \(record.summary)." }
        if result.mode == .none { return "Nothing merged (mode none); the answer stays on \(result.branch.shortName)." }
        return "\(result.branch.shortName) changes nothing against its base; nothing to merge."
    }
}
