/// A turn's run id: the `<run>` of its branches `massgen/<run>/<agent>` and worktrees
/// `.massgen/workspaces/<run>/<agent>`. The first turn's run id is the session id; later turns
/// are `<session>-t<N>`, so their branches never collide with earlier ones.
public struct RunID: Sendable, Hashable, CustomStringConvertible {
    /// The session.
    public var session: String
    /// The turn (1-based).
    public var turn: Int

    /// The run of `turn` of `session`.
    public init(session: String, turn: Int) {
        self.session = session
        self.turn = turn
    }

    /// `<session>` for turn 1, `<session>-t<N>` after.
    public var description: String { turn <= 1 ? session : "\(session)-t\(turn)" }

    /// The readings of a run id string: `<session>-t<N>` as turn N of `<session>`, and the
    /// whole string as turn 1 of a session of that name (a session id may itself end in `-t<N>`;
    /// the store decides which exists).
    public static func readings(of run: String) -> [RunID] {
        var readings = [RunID(session: run, turn: 1)]
        if let range = run.range(of: "-t", options: .backwards), let turn = Int(run[range.upperBound...]), turn > 1 {
            readings.insert(RunID(session: String(run[..<range.lowerBound]), turn: turn), at: 0)
        }
        return readings
    }
}
