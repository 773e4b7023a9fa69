import ArgumentParser
import Foundation
import GitWorkspace
import Voting


/// `mg status`: running and interrupted sessions, their worktrees and branches, the lock holder.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show running and interrupted sessions with their worktrees and branches.",
        discussion: """
            A session is interrupted when the mg that ran it is gone (Ctrl-C, a crash, kill -9). \
            Its agents' work is on their branches (and in any worktree left behind). Resume it \
            with `mg continue --resume`, or discard it with `mg clean --session ID`.

            Examples:
              mg status
              mg status --json
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let status = try Startup.mgRepository(reading: true).status()
            if console.json {
                try SessionStore.printJSON(status)
                return
            }
            console.result(Self.lines(status).joined(separator: "\n"))
        }
    }

    /// The human view of `status`.
    static func lines(_ status: StatusReport) -> [String] {
        var lines: [String] = []
        if let holder = status.lockHolder { lines.append("Repository lock held by \(holder).") }
        for operation in status.unfinishedOperations {
            let why =
                operation.state == .rollbackFailed
                ? "it failed half-way and could not be rolled back completely (\(operation.problem ?? "no detail"))"
                : "mg stopped while it was \(operation.state == .undoing ? "being undone" : "being carried out")"
            lines.append("Operation #\(operation.id) did not finish: \(operation.summary) — \(why).")
            lines.append("  repair: mg undo   (puts back what it left behind; refuses anything you changed since)")
        }
        if status.sessions.isEmpty { lines.append("No running or interrupted sessions.") }
        for entry in status.sessions {
            let session = entry.session
            let pid = session.pid.map { " (pid \($0))" } ?? ""
            lines.append(
                "\(session.id)  \(session.status.rawValue)\(pid)  turn \(entry.turn ?? 0): \(entry.turnTask ?? session.task)")
            for agent in entry.agents {
                let branch = agent.branch.map { $0.hasPrefix("refs/heads/") ? String($0.dropFirst(11)) : $0 } ?? "-"
                let worktree =
                    agent.worktreePath.map { path in
                        FileManager.default.fileExists(atPath: path) ? path : "\(path) (removed)"
                    } ?? "-"
                lines.append("  \(agent.agent)  branch \(branch)  worktree \(worktree)")
            }
            if session.status == .interrupted {
                lines.append("  resume: mg continue --resume --session \(session.id)   discard: mg clean --session \(session.id)")
            }
        }
        return lines
    }
}
