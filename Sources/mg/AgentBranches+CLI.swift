import Foundation
import GitWorkspace

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
