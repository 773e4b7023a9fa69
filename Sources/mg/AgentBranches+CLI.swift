import Foundation
import GitWorkspace
import Voting

extension AgentBranches {
    /// The branch of `agent`: in `session` when given, else the only session that has it.
    func find(agent: String, session: String?) throws -> AgentBranch {
        let matches = try list(session: session).filter { $0.agent == agent }
        if matches.count == 1, let match = matches.first { return match }
        if matches.isEmpty {
            let known = try list(session: session).map(\.shortName)
            let listing = known.isEmpty ? "there are no mg branches yet" : "known: " + known.joined(separator: ", ")
            throw CLIError(.usage, "No branch for agent \"\(agent)\"\(session.map { " in session \($0)" } ?? "") (\(listing)).\nHint: run `mg branches` to see them.")
        }
        let sessions = matches.map(\.session).joined(separator: ", ")
        throw CLIError(.usage, "Agent \"\(agent)\" has branches in several sessions (\(sessions)).\nHint: pass --session SESSION.")
    }
}

/// Lands an agent branch's latest answer by hand (`mg merge`, chat's `/merge`), as safely as the
/// automatic merge-back, with the operation logged before it is carried out.
enum HandMerge {
    /// The merge's outcome: the operation (nil when nothing changed or the mode is `none`) and the mode used.
    static func run(
        _ branch: AgentBranch, mode: MergeMode?, via command: String, reader: AgentBranches, repositoryRoot: String,
        store: SessionStore
    ) throws -> (record: OperationRecord?, mode: MergeMode) {
        let base = try reader.reconstructBase(of: branch)
        let chosen = mode ?? MergeMode.defaultMode(for: base)
        let subject = try reader.iterations(of: branch).last?.subject ?? "answer of \(branch.agent)"
        let message =
            "\(subject)\n\nMerged by `\(command)` from \(branch.shortName) (\(branch.tip.short)).\n\n"
            + "Mg-Session: \(branch.session)\nMg-Agent: \(branch.agent)\n"
        let merge = MergeBack(repositoryRoot: repositoryRoot)
        guard let record = try merge.plan(winner: branch.tip, winnerBranch: branch.ref, base: base, mode: chosen, message: message)
        else { return (nil, chosen) }
        try store.carryOut(record, session: try store.sessionID(forRun: branch.session)) { () throws(GitWorkspaceError) in
            try merge.apply(record, winnerBranch: branch.ref, base: base)
        }
        return (record, chosen)
    }
}
