import Foundation
import GitWorkspace

/// Everything stored about one session, turn by turn: what `mg log` prints and `mg log --json`
/// encodes.
public struct SessionLog: Sendable, Hashable, Codable {
    /// One turn with its agents, iterations, votes, tests and merge outcome.
    public struct Turn: Sendable, Hashable, Codable {
        /// The turn (task, winner, merged commit, status).
        public var turn: TurnRecord
        /// Agents that took part.
        public var agents: [StoredAgent]
        /// Answers in the order they were given.
        public var iterations: [IterationRecord]
        /// Votes in the order they were cast.
        public var votes: [StoredVote]
        /// Test runs in order.
        public var tests: [TestResultRecord]
        /// Similarity matrices in order.
        public var similarity: [StoredSimilarity]
        /// Input + output tokens of the turn's model calls.
        public var tokens: Int
        /// Prompt tokens of those calls served from the provider's prompt cache.
        public var cachedTokens: Int = 0
        /// Cost of the turn's model calls in USD.
        public var costUSD: Double
        /// Files attached to the turn's task (`--image`, `/attach`, `upload_files`): the session
        /// copy under `.massgen/sessions/<session>/media/`, its SHA-256 (empty for URLs) and MIME type.
        public var attachments: [MediaReference] = []
    }

    /// The session.
    public var session: SessionRecord
    /// Its turns in order.
    public var turns: [Turn]
    /// Operations it logged (merge-backs, cleans), oldest first.
    public var operations: [OperationLogEntry]

    /// Total cost in USD.
    public var costUSD: Double { turns.reduce(0) { $0 + $1.costUSD } }

    /// The readable rendering for `mg log`.
    public func rendered() -> String {
        var lines: [String] = []
        let status = session.status.rawValue.replacingOccurrences(of: "_", with: " ")
        lines.append("session \(session.id)  \(status)  started \(Self.format(session.startedAt))")
        lines.append("  task: \(Self.oneLine(session.task))")
        if let mode = session.mergeMode { lines.append("  merge mode: \(mode)") }
        if let legacy = session.legacyPath { lines.append("  imported from .massgen/\(legacy)") }
        for entry in turns {
            let turn = entry.turn
            lines.append("")
            lines.append("turn \(turn.number)  \(turn.status.rawValue.replacingOccurrences(of: "_", with: " "))")
            lines.append("  task: \(Self.oneLine(turn.task))")
            if let base = turn.baseCommit { lines.append("  base: \(Self.short(base))") }
            for agent in entry.agents {
                let model = [agent.backendType, agent.model].compactMap { $0 }.joined(separator: " ")
                lines.append("  agent \(agent.agent) (\(agent.anonymousID))\(model.isEmpty ? "" : "  \(model)")")
                if let failure = agent.failure { lines.append("    failed: \(Self.oneLine(failure))") }
            }
            for iteration in entry.iterations {
                let verdict = iteration.accepted ? "" : "  rejected: \(iteration.rejectionReason ?? "no reason given")"
                var labels = ""
                if !iteration.changedTests.isEmpty {
                    labels += "  [changes tests: \(iteration.changedTests.joined(separator: ", "))]"
                }
                if iteration.noChange { labels += "  [no change]" }
                lines.append(
                    "  answer \(iteration.agent)#\(iteration.number) \(Self.short(iteration.commitID))  "
                        + "\(iteration.filesChanged) file\(iteration.filesChanged == 1 ? "" : "s") "
                        + "+\(iteration.insertions) -\(iteration.deletions)  "
                        + Self.oneLine(iteration.summary) + labels + verdict)
            }
            for test in entry.tests {
                let outcome = test.passed ? "passed" : "FAILED"
                let what: String =
                    switch test.kind {
                    case "baseline": "baseline (the base)"
                    case "base_tests": "base's tests on \(test.agent) @\(Self.short(test.commitID))"
                    case "gate": "gate `\(test.command ?? "?")` on \(test.agent) @\(Self.short(test.commitID))"
                    default: "tests \(test.agent) @\(Self.short(test.commitID))"
                    }
                var line = "  \(what): \(outcome)"
                // Counts only when the output had any (a plain script reports just its exit status).
                let counts =
                    test.passedCount + test.failedCount > 0
                    ? "\(test.passedCount) passed, \(test.failedCount) failed, " : ""
                let duration =
                    test.durationSeconds < 1
                    ? String(format: "%.0f ms", test.durationSeconds * 1000) : String(format: "%.1f s", test.durationSeconds)
                line += " (" + counts + duration + ")"
                if !test.failingNames.isEmpty { line += "  failing: " + test.failingNames.joined(separator: ", ") }
                lines.append(line)
            }
            for vote in entry.votes {
                let ignored = vote.ignored ? "  (ignored)" : ""
                lines.append("  vote r\(vote.round) \(vote.voter) -> \(vote.target): \(Self.oneLine(vote.reason))\(ignored)")
            }
            if let decision = turn.decision {
                lines.append("  decided by: \(decision.rule)")
                if let overruled = decision.overruled { lines.append("  evidence overruled the vote: \(overruled)") }
            }
            if let winner = turn.winner { lines.append("  winner: \(winner)") }
            if let how = turn.mergeHow {
                let commit = turn.mergedCommit.map { " " + Self.short($0) } ?? ""
                let undone =
                    operations.contains { $0.turn == turn.number && $0.undone && $0.kind.hasPrefix("merge:") }
                    ? " (undone)" : ""
                lines.append("  merge: \(how)\(commit)\(undone)")
            }
            if entry.tokens > 0 || entry.costUSD > 0 {
                let cached = entry.cachedTokens > 0 ? " (\(entry.cachedTokens) prompt tokens from cache)" : ""
                lines.append("  usage: \(entry.tokens) tokens\(cached), " + String(format: "$%.4f", entry.costUSD))
            }
        }
        if !operations.isEmpty {
            lines.append("")
            for operation in operations {
                lines.append("operation \(operation.id) \(operation.kind)\(operation.undone ? " (undone)" : ""): \(operation.summary)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func short(_ commit: String) -> String { String(commit.prefix(10)) }

    static func oneLine(_ text: String) -> String {
        let first = text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        return first.count > 100 ? String(first.prefix(99)) + "…" : first
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension SessionStore {
    /// The whole log of `session`, read in one snapshot.
    public func log(of session: String) throws(SessionStoreError) -> SessionLog {
        let key: [SQLiteValue] = [.text(session)]
        let (record, turns, operationIDs) = try database.read {
            (connection) throws(SessionStoreError) -> (SessionRecord, [SessionLog.Turn], [Int64]) in
            guard let record = try connection.first(
                "SELECT \(Self.sessionColumns) FROM sessions WHERE id = ?", key, Self.sessionRecord)
            else { throw .notFound(what: "session \(session)") }
            let turnRecords = try connection.rows(
                "SELECT \(Self.turnColumns) FROM turns WHERE session_id = ? ORDER BY n", key, Self.turnRecord)
            var agents = try connection.rows(
                "SELECT \(Self.agentColumns) FROM agents WHERE session_id = ? ORDER BY turn, agent_id", key,
                Self.agentRecord)
            let iterations = try connection.rows(
                """
                SELECT session_id, turn, agent_id, n, commit_id, parent_commit, summary, files_changed, insertions,
                    deletions, accepted, rejection_reason, created_at, changed_tests, no_change
                FROM iterations WHERE session_id = ? ORDER BY id
                """, key
            ) { (row) throws(SessionStoreError) in
                var iteration = IterationRecord(
                    session: row.text(0), turn: row.int(1), agent: row.text(2), number: row.int(3),
                    commitID: row.text(4), parentCommit: row.optionalText(5), summary: row.text(6),
                    filesChanged: row.int(7), insertions: row.int(8), deletions: row.int(9), accepted: row.bool(10),
                    rejectionReason: row.optionalText(11), createdAt: row.date(12))
                iteration.changedTests = try Self.decodeJSON([String].self, from: row.text(13), what: "changed tests")
                iteration.noChange = row.bool(14)
                return iteration
            }
            let votes = try connection.rows(
                """
                SELECT session_id, turn, round, voter, target, reason, ignored, created_at, target_passed FROM votes
                WHERE session_id = ? ORDER BY id
                """, key
            ) { row in
                var vote = StoredVote(
                    session: row.text(0), turn: row.int(1), round: row.int(2), voter: row.text(3), target: row.text(4),
                    reason: row.text(5), ignored: row.bool(6), createdAt: row.date(7))
                vote.targetPassed = row.optionalInt(8).map { $0 != 0 }
                return vote
            }
            let tests = try connection.rows(
                """
                SELECT session_id, turn, agent_id, commit_id, passed, passed_count, failed_count, failing_names,
                    output_tail, duration_seconds, created_at, kind, command, passing_names
                FROM test_results WHERE session_id = ? ORDER BY id
                """, key
            ) { (row) throws(SessionStoreError) in
                var test = TestResultRecord(
                    session: row.text(0), turn: row.int(1), agent: row.text(2), commitID: row.text(3),
                    passed: row.bool(4), passedCount: row.int(5), failedCount: row.int(6),
                    failingNames: try Self.decodeJSON([String].self, from: row.text(7), what: "failing test names"),
                    outputTail: row.text(8), durationSeconds: row.double(9), createdAt: row.date(10))
                test.kind = row.text(11)
                test.command = row.optionalText(12)
                test.passingNames = try Self.decodeJSON([String].self, from: row.text(13), what: "passing test names")
                return test
            }
            let similarity = try connection.rows(
                "SELECT session_id, turn, round, label, agents, matrix, created_at FROM similarity WHERE session_id = ? "
                    + "ORDER BY id", key
            ) { (row) throws(SessionStoreError) in
                StoredSimilarity(
                    session: row.text(0), turn: row.int(1), round: row.int(2), label: row.text(3),
                    agents: try Self.decodeJSON([String].self, from: row.text(4), what: "similarity agents"),
                    matrix: try Self.decodeJSON([[Double]].self, from: row.text(5), what: "similarity matrix"),
                    createdAt: row.date(6))
            }
            var attachments: [Int: [MediaReference]] = [:]
            for item in try Self.conversationMedia(connection, session: session) where item.role == .user {
                attachments[item.turn, default: []].append(item.reference)
            }
            var usage: [Int: (Int, Double, Int)] = [:]
            try connection.query(
                "SELECT turn, sum(input_tokens + output_tokens), total(cost_usd), sum(cached_input_tokens) FROM token_usage "
                    + "WHERE session_id = ? GROUP BY turn", key
            ) { row in usage[row.int(0)] = (row.int(1), row.double(2), row.int(3)) }
            let operationIDs = try connection.rows(
                "SELECT id FROM operations WHERE session_id = ? ORDER BY id", key) { Int64($0.int(0)) }
            var turns: [SessionLog.Turn] = []
            for turn in turnRecords {
                let n = turn.number
                let turnAgents = agents.filter { $0.turn == n }
                agents.removeAll { $0.turn == n }
                turns.append(
                    SessionLog.Turn(
                        turn: turn, agents: turnAgents, iterations: iterations.filter { $0.turn == n },
                        votes: votes.filter { $0.turn == n }, tests: tests.filter { $0.turn == n },
                        similarity: similarity.filter { $0.turn == n }, tokens: usage[n]?.0 ?? 0,
                        cachedTokens: usage[n]?.2 ?? 0,
                        costUSD: usage[n]?.1 ?? 0, attachments: attachments[n] ?? []))
            }
            return (record, turns, operationIDs)
        }
        let wanted = Set(operationIDs)
        let operations = operationIDs.isEmpty
            ? [] : try self.operations().filter { wanted.contains($0.id) }.sorted { $0.id < $1.id }
        return SessionLog(session: record, turns: turns, operations: operations)
    }
}
