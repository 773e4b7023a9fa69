import Foundation
import GitWorkspace
import Voting

/// The session-store figure named in the Sessions issue: open a store holding 1,000 sessions × 5
/// turns (with agents, iterations, votes and usage) and produce the `mg sessions` listing.
enum SessionBenchmarks {
    static let sessions = 1_000
    static let turnsPerSession = 5

    /// Builds the store through the public, one-transaction-per-fact API (as mg writes it), then
    /// times open + listing + rendering, cold first and then warm.
    static func listing() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mg-bench-sessions-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let layout = ProjectLayout(repositoryRoot: root)
        let clock = ContinuousClock()
        let building = try clock.measure { try populate(layout) }
        print(String(format: "built %d sessions x %d turns (%d committed transactions) in %.1f s",
                     sessions, turnsPerSession, transactions, seconds(building)))

        var timings: [Double] = []
        var printed = 0
        for _ in 0..<7 {
            let elapsed = try clock.measure {
                let store = try SessionStore.open(layout: layout)
                let rows = try store.listSessions()
                printed = render(rows).utf8.count
                store.close()
            }
            timings.append(seconds(elapsed) * 1000)
        }
        let sorted = timings.sorted()
        print(String(format: "open + `mg sessions` listing (%d rows, %d bytes): first %.1f ms, median %.1f ms, best %.1f ms (target <= 100 ms)",
                     sessions, printed, timings[0], sorted[sorted.count / 2], sorted[0]))
    }

    private static var transactions: Int { sessions * (2 + turnsPerSession * (2 + 2 * 3 + 1)) }

    private static func populate(_ layout: ProjectLayout) throws {
        let store = try SessionStore.open(layout: layout)
        defer { store.close() }
        var random = SystemRandomNumberGenerator()
        for s in 0..<sessions {
            let id = String(format: "2025%04d-%04x", s, UInt16.random(in: 0...UInt16.max, using: &random))
            let start = Date(timeIntervalSince1970: 1_700_000_000 + Double(s) * 3600)
            try store.beginSession(SessionRecord(id: id, repository: layout.repositoryRoot, task: "Fix bug #\(s)",
                                                 startedAt: start, baseCommit: "base", mergeMode: "squash", pid: nil))
            for n in 1...turnsPerSession {
                try store.beginTurn(TurnRecord(session: id, number: n, task: "Turn \(n) of #\(s)", startedAt: start))
                for (index, agent) in ["gpt", "claude"].enumerated() {
                    try store.recordAgent(StoredAgent(
                        session: id, turn: n, agent: agent, anonymousID: "agent\(index + 1)", backendType: "scripted",
                        branch: "refs/heads/massgen/\(id)/\(agent)", worktreePath: layout.worktreePath(session: id, agent: agent)))
                    try store.recordIteration(IterationRecord(
                        session: id, turn: n, agent: agent, number: 1, commitID: "c\(s)-\(n)-\(agent)",
                        summary: "Answer \(n) by \(agent)", filesChanged: 2, insertions: 20, deletions: 4))
                    try store.recordUsage(UsageRecord(session: id, turn: n, agent: agent, inputTokens: 4000,
                                                      outputTokens: 600, costUSD: 0.012))
                }
                try store.recordVote(StoredVote(session: id, turn: n, round: 1, voter: "claude", target: "agent1",
                                                reason: "Tests pass, smaller diff"))
                try store.finishTurn(session: id, turn: n, status: .finished, winner: "gpt", mergedCommit: "m\(n)",
                                     mergeHow: "squash")
            }
            try store.finishSession(id, status: .finished)
        }
    }

    /// The text `mg sessions` prints: one line per session.
    private static func render(_ rows: [SessionSummary]) -> String {
        let formatter = ISO8601DateFormatter()
        return rows.map { row in
            "\(row.id)  \(formatter.string(from: row.startedAt))  \(row.turns) turns  \(row.status.rawValue)  "
                + "\(row.winner ?? "-")  " + String(format: "$%.2f", row.costUSD) + "  \(row.task)"
        }.joined(separator: "\n")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
