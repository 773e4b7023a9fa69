import Foundation
import GitWorkspace
@testable import Voting

/// A fresh temporary folder, removed on deinit.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mg-store-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.resolvingSymlinksInPath().path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A project layout rooted here (`<path>/.massgen/...`).
    var layout: ProjectLayout { ProjectLayout(repositoryRoot: path) }

    /// Writes `text` at `relative`, creating folders.
    func write(_ relative: String, _ text: String) throws {
        let target = path + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
    }
}

/// The pid of a process that has exited and been reaped.
func deadProcessID() throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exit 0"]
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

/// Fills `store` with one session of `turns` turns, two agents each, iterations, votes, usage.
func populate(
    _ store: SessionStore, session id: String, startedAt: Date, turns: Int = 2, pid: Int32? = nil,
    status: SessionStatus = .finished
) throws {
    try store.beginSession(
        SessionRecord(id: id, repository: "/repo", task: "fix \(id)", startedAt: startedAt, baseCommit: "base\(id)",
                      targetRef: "refs/heads/main", mergeMode: "squash", pid: pid))
    for n in 1...turns {
        try store.beginTurn(TurnRecord(session: id, number: n, task: "task \(n)", baseCommit: "b\(n)", startedAt: startedAt))
        for (index, agent) in ["alpha", "beta"].enumerated() {
            try store.recordAgent(
                StoredAgent(session: id, turn: n, agent: agent, anonymousID: "agent\(index + 1)", backendType: "scripted",
                            model: "m", branch: "refs/heads/massgen/\(id)/\(agent)",
                            worktreePath: "/repo/.massgen/workspaces/\(id)/\(agent)"))
            try store.recordIteration(
                IterationRecord(session: id, turn: n, agent: agent, number: 1, commitID: "c\(n)\(agent)",
                                summary: "answer by \(agent)", filesChanged: 1, insertions: 2, deletions: 1))
            try store.recordUsage(
                UsageRecord(session: id, turn: n, agent: agent, model: "m", inputTokens: 100, outputTokens: 10, costUSD: 0.01))
        }
        try store.recordVote(StoredVote(session: id, turn: n, round: 1, voter: "beta", target: "alpha", reason: "tests pass"))
        try store.finishTurn(session: id, turn: n, status: .finished, winner: "alpha", answer: "done", mergedCommit: "m\(n)",
                             mergeHow: "squash")
    }
    if status != .running {
        try store.finishSession(id, status: status, winner: "alpha")
    }
}
