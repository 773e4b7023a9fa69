import ArgumentParser
import Foundation
import GitWorkspace
import Voting

#if canImport(Glibc)
    import Glibc
#endif

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
            let root = try Startup.repository().workingDirectory
            let store = try SessionStore.openForCLI(repositoryRoot: root)
            let unfinished = try store.unfinishedSessions()
            let holder = Self.lockHolder(ProjectLayout(repositoryRoot: root))
            if console.json {
                struct Status: Encodable {
                    var sessions: [UnfinishedSession]
                    var lockHolder: String?
                }
                try SessionStore.printJSON(Status(sessions: unfinished, lockHolder: holder))
                return
            }
            var lines: [String] = []
            if let holder { lines.append("Repository lock held by \(holder).") }
            if unfinished.isEmpty { lines.append("No running or interrupted sessions.") }
            for entry in unfinished {
                let session = entry.session
                let pid = session.pid.map { " (pid \($0))" } ?? ""
                lines.append("\(session.id)  \(session.status.rawValue)\(pid)  turn \(entry.turn ?? 0): \(session.task)")
                for agent in entry.agents {
                    let branch = agent.branch.map { $0.hasPrefix("refs/heads/") ? String($0.dropFirst(11)) : $0 } ?? "-"
                    let worktree = agent.worktreePath.map { path in
                        FileManager.default.fileExists(atPath: path) ? path : "\(path) (removed)"
                    } ?? "-"
                    lines.append("  \(agent.agent)  branch \(branch)  worktree \(worktree)")
                }
                if session.status == .interrupted {
                    lines.append("  resume: mg continue --resume --session \(session.id)   discard: mg clean --session \(session.id)")
                }
            }
            console.result(lines.joined(separator: "\n"))
        }
    }

    /// Who holds `.massgen/lock` right now, without taking it (`nil`: nobody).
    static func lockHolder(_ layout: ProjectLayout) -> String? {
        let path = layout.root + "/lock"
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.flatMap { $0.isEmpty ? nil : $0 } ?? "another mg process"
    }
}
