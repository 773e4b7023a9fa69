import Foundation
import GitWorkspace

/// One recorded ballot order: the answers an agent saw, in the order it saw them.
public struct StoredBallotOrder: Sendable, Hashable, Codable {
    /// The turn.
    public var turn: Int
    /// The viewing agent's configured id.
    public var agent: String
    /// The answer serial its context was built at.
    public var serial: Int
    /// Anonymous ids in the order shown.
    public var shown: [String]
}

extension SessionStore {
    /// Records the seed of a turn's blind ballots (before any agent sees an answer).
    public func recordBallotSeed(session: String, turn: Int, seed: UInt64) throws(SessionStoreError) {
        try write("after-ballot-seed") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE turns SET ballot_seed = ? WHERE session_id = ? AND n = ?",
                [.text(String(seed)), .text(session), .integer(Int64(turn))])
            guard connection.changes == 1 else { throw .notFound(what: "turn \(turn) of session \(session)") }
        }
    }

    /// Records the order in which an agent was shown the other answers.
    public func recordBallotOrder(session: String, order: StoredBallotOrder) throws(SessionStoreError) {
        let shown = try Self.encodeJSON(order.shown, what: "ballot order")
        try write("after-ballot-order") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "INSERT INTO ballot_orders (session_id, turn, agent_id, serial, shown, created_at) VALUES (?,?,?,?,?,?)",
                [
                    .text(session), .integer(Int64(order.turn)), .text(order.agent), .integer(Int64(order.serial)),
                    .text(shown), .real(Date().timeIntervalSince1970),
                ])
        }
    }

    /// Records how a turn was decided (before anything lands).
    public func recordDecision(session: String, turn: Int, decision: Decision) throws(SessionStoreError) {
        var decision = decision
        decision.rule = normalizer.normalize(decision.rule)
        decision.overruled = decision.overruled.map(normalizer.normalize)
        let text = try Self.encodeJSON(decision, what: "decision")
        try write("after-decision") { (connection) throws(SessionStoreError) in
            try connection.execute(
                "UPDATE turns SET decision = ? WHERE session_id = ? AND n = ?",
                [.text(text), .text(session), .integer(Int64(turn))])
            guard connection.changes == 1 else { throw .notFound(what: "turn \(turn) of session \(session)") }
        }
    }

    /// The gate's verdict on `agent`'s answer in run `run` (a turn's branch namespace,
    /// `<session>` or `<session>-t<N>`), from the turn's last recorded ranking; `nil` when the
    /// store has none (an older session, or the answer came after the decision).
    public func gateVerdict(forRun run: String, agent: String) throws(SessionStoreError) -> GateVerdict? {
        guard let located = try locate(run: run) else { return nil }
        let (session, turn) = (located.session, located.turn)
        guard let anonymous = try agents(of: session, turn: turn).first(where: { $0.agent == agent })?.anonymousID,
            let ranking = try rankings(of: session).last(where: { $0.turn == turn }),
            let entry = ranking.entries.first(where: { $0["anonymousID"] == .string(anonymous) }),
            case .bool(let eligible)? = entry["eligible"], case .string(let rule)? = entry["rule"]
        else { return nil }
        return GateVerdict(eligible: eligible, rule: rule)
    }

    /// Records why agents of a turn gave no answer or left early (`mg log` shows it).
    public func recordAgentFailures(session: String, turn: Int, failures: [String: String]) throws(SessionStoreError) {
        guard !failures.isEmpty else { return }
        try write("after-agent-failures") { (connection) throws(SessionStoreError) in
            for (agent, reason) in failures.sorted(by: { $0.key < $1.key }) {
                try connection.execute(
                    "UPDATE agents SET failure = ? WHERE session_id = ? AND turn = ? AND agent_id = ?",
                    [.text(normalizer.normalize(reason)), .text(session), .integer(Int64(turn)), .text(agent)])
            }
        }
    }

    /// The ballot orders of a session, in the order they were recorded.
    public func ballotOrders(of session: String) throws(SessionStoreError) -> [StoredBallotOrder] {
        try database.read { (connection) throws(SessionStoreError) in
            try Self.ballotOrders(connection, session: session)
        }
    }

    static func ballotOrders(_ connection: SQLiteConnection, session: String) throws(SessionStoreError)
        -> [StoredBallotOrder]
    {
        try connection.rows(
            "SELECT turn, agent_id, serial, shown FROM ballot_orders WHERE session_id = ? ORDER BY id",
            [.text(session)]
        ) { (row) throws(SessionStoreError) in
            StoredBallotOrder(
                turn: row.int(0), agent: row.text(1), serial: row.int(2),
                shown: try Self.decodeJSON([String].self, from: row.text(3), what: "ballot order"))
        }
    }
}
