import Foundation
import GitWorkspace

extension SessionStore {
    /// Per agent id and model, across every coding session of the repository (imported
    /// MassGen history and `mg review` sessions are left out): sessions, answers, wins, test
    /// results, votes for failing answers, votes the evidence overruled, mean tokens, cost and
    /// wall time per turn. Sorted by agent, then model.
    public func agentStats() throws(SessionStoreError) -> [AgentStats] {
        try database.read { (connection) throws(SessionStoreError) -> [AgentStats] in
            let coding = """
                SELECT t.session_id, t.n FROM turns t JOIN sessions s ON s.id = t.session_id
                WHERE s.status != 'imported'
                    AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.session_id = t.session_id AND r.turn = t.n)
                """
            struct Key: Hashable { var agent: String, model: String }
            struct Running {
                var sessions: Set<String> = []
                var turns = 0, answers = 0, wins = 0, passing = 0, changing = 0, badVotes = 0, overruled = 0
                var tokens = 0, cached = 0, cost = 0.0, wall = 0.0
            }
            var totals: [Key: Running] = [:]
            var keyOf: [String: Key] = [:]  // "<session>|<turn>|<agent>" → key
            // One row per agent and turn: the turn's winner, wall time and decision.
            try connection.query(
                """
                SELECT a.session_id, a.turn, a.agent_id, coalesce(a.model, '-'), t.winner,
                    coalesce(t.ended_at, t.started_at) - t.started_at, t.decision, a.anonymous_id
                FROM agents a JOIN turns t ON t.session_id = a.session_id AND t.n = a.turn
                WHERE (a.session_id, a.turn) IN (\(coding))
                """, []
            ) { row in
                let key = Key(agent: row.text(2), model: row.text(3))
                keyOf["\(row.text(0))|\(row.int(1))|\(row.text(2))"] = key
                var entry = totals[key] ?? Running()
                entry.sessions.insert(row.text(0))
                entry.turns += 1
                if row.optionalText(4) == row.text(2) { entry.wins += 1 }
                entry.wall += row.double(5)
                totals[key] = entry
            }
            // Answers, and whether each one's judged run passed (the base's tests when they ran).
            try connection.query(
                """
                SELECT i.session_id, i.turn, i.agent_id, i.changed_tests != '[]',
                    coalesce(
                        (SELECT passed FROM test_results r WHERE r.session_id = i.session_id AND r.turn = i.turn
                            AND r.commit_id = i.commit_id AND r.kind = 'base_tests' ORDER BY r.id DESC LIMIT 1),
                        (SELECT passed FROM test_results r WHERE r.session_id = i.session_id AND r.turn = i.turn
                            AND r.commit_id = i.commit_id AND r.kind = 'answer' ORDER BY r.id DESC LIMIT 1), 0)
                FROM iterations i WHERE i.accepted = 1 AND (i.session_id, i.turn) IN (\(coding))
                """, []
            ) { row in
                guard let key = keyOf["\(row.text(0))|\(row.int(1))|\(row.text(2))"] else { return }
                totals[key]?.answers += 1
                if row.bool(3) { totals[key]?.changing += 1 }
                if row.bool(4) { totals[key]?.passing += 1 }
            }
            // Counted votes for failing answers, and votes the evidence overruled.
            var decisions: [String: Decision] = [:]
            try connection.query("SELECT session_id, n, decision FROM turns WHERE decision IS NOT NULL", []) {
                (row) throws(SessionStoreError) in
                decisions["\(row.text(0))|\(row.int(1))"] = try Self.decodeJSON(
                    Decision.self, from: row.text(2), what: "turn decision")
            }
            var lastVote: [String: String] = [:]  // "<session>|<turn>|<voter>" → target of its last counted vote
            try connection.query(
                """
                SELECT session_id, turn, voter, target, target_passed FROM votes
                WHERE ignored = 0 AND (session_id, turn) IN (\(coding)) ORDER BY id
                """, []
            ) { row in
                let id = "\(row.text(0))|\(row.int(1))|\(row.text(2))"
                guard let key = keyOf[id] else { return }
                if row.optionalInt(4) == 0 { totals[key]?.badVotes += 1 }
                lastVote[id] = row.text(3)
            }
            for (id, target) in lastVote {
                let parts = id.split(separator: "|")
                guard parts.count == 3, let key = keyOf[id],
                    let decision = decisions["\(parts[0])|\(parts[1])"], decision.overruled != nil,
                    target != decision.winner
                else { continue }
                totals[key]?.overruled += 1
            }
            try connection.query(
                """
                SELECT session_id, turn, agent_id, sum(input_tokens + output_tokens), sum(cached_input_tokens),
                    total(cost_usd)
                FROM token_usage WHERE (session_id, turn) IN (\(coding)) GROUP BY session_id, turn, agent_id
                """, []
            ) { row in
                guard let key = keyOf["\(row.text(0))|\(row.int(1))|\(row.text(2))"] else { return }
                totals[key]?.tokens += row.int(3)
                totals[key]?.cached += row.int(4)
                totals[key]?.cost += row.double(5)
            }
            return totals.map { key, entry in
                let turns = Double(max(entry.turns, 1))
                return AgentStats(
                    agent: key.agent, model: key.model, sessions: entry.sessions.count, turns: entry.turns,
                    answers: entry.answers, wins: entry.wins, answersPassingTests: entry.passing,
                    answersChangingTests: entry.changing, votesForFailingAnswers: entry.badVotes,
                    votesOverruledByEvidence: entry.overruled, meanTokens: Double(entry.tokens) / turns,
                    meanCachedTokens: Double(entry.cached) / turns, meanCostUSD: entry.cost / turns,
                    meanWallSeconds: entry.wall / turns)
            }.sorted { ($0.agent, $0.model) < ($1.agent, $1.model) }
        }
    }
}
