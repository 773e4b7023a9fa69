import ArgumentParser
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
            let location = try Startup.repository()
            let layout = ProjectLayout(repositoryRoot: location.workingDirectory)
            let lock = try RepositoryLock(layout: layout, purpose: "mg merge \(agent)")
            defer { withExtendedLifetime(lock) {} }
            let repository = try Repository.open(at: location.workingDirectory)
            let reader = AgentBranches(repository: repository)
            let branch = try reader.find(agent: agent, session: session)
            let store = try SessionStore.openForCLI(repositoryRoot: location.workingDirectory)
            // By hand you may land an answer the gate excluded; mg says so, then does as asked.
            if let verdict = try store.gateVerdict(forRun: branch.session, agent: branch.agent), !verdict.eligible {
                console.warning(
                    "\(branch.agent)'s answer failed the gate in session \(branch.session): \(verdict.rule). "
                        + "Merging it anyway, as you asked.")
            }
            let (record, chosen) = try HandMerge.run(
                branch, mode: mode, via: "mg merge", reader: reader, repositoryRoot: location.workingDirectory,
                store: store)
            if let record {
                console.result("Merged: \(record.summary).")
            } else {
                console.result(chosen == .none ? "Nothing merged (mode none); the answer stays on \(branch.shortName)." : "\(branch.shortName) changes nothing against its base; nothing to merge.")
            }
            console.emit([
                "event": "merged", "branch": branch.shortName, "mode": chosen.rawValue, "summary": record?.summary ?? "",
            ])
        }
    }
}
