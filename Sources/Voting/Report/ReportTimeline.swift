import Foundation

/// Builds each agent's lane from a turn's events (`events.jsonl`): every `agent_state` starts a
/// segment in its phase that lasts until the agent's next state; answers, test results, votes,
/// restarts and the end are marks. Without events (a session recorded before them, or imported),
/// the stored answers, tests and votes still give the marks.
struct ReportTimeline {
    let start: Date
    let end: Date
    let agents: [String]
    /// Anonymous id → configured id, for vote labels.
    let anonymous: [String: String]

    func offset(_ date: Date) -> Double { max(0, date.timeIntervalSince(start)) }

    /// Lanes from `events` (already only this turn's, in order).
    func lanes(from events: [SessionEvent]) -> [ReportDocument.Lane] {
        agents.map { agent in
            var segments: [ReportDocument.Segment] = []
            var marks: [ReportDocument.Mark] = []
            var open: ReportDocument.Segment?
            func close(at time: Double) {
                if var segment = open {
                    segment.end = max(segment.start, time)
                    segments.append(segment)
                }
                open = nil
            }
            for event in events where event.agent == agent {
                let at = offset(event.time)
                switch event.kind {
                case .agentState:
                    close(at: at)
                    guard let phase = event.phase else { continue }
                    switch phase {
                    case .done, .failed:
                        marks.append(.init(kind: phase.rawValue, at: at, label: event.reason ?? phase.rawValue))
                    case .restarting:
                        marks.append(.init(kind: "restart", at: at, label: "restarts with new answers"))
                        open = .init(phase: phase.rawValue, tool: nil, start: at, end: at)
                    default:
                        open = .init(phase: phase.rawValue, tool: event.tool, start: at, end: at)
                    }
                case .answer:
                    if event.accepted == true {
                        marks.append(
                            .init(kind: "answer", at: at, label: "answer \(event.iteration ?? 0): \(event.detail ?? "")"))
                    } else {
                        marks.append(.init(kind: "rejected", at: at, label: "answer rejected: \(event.reason ?? "")"))
                    }
                case .testResult:
                    let verdict = event.passed == true ? "tests pass" : "tests fail"
                    marks.append(.init(kind: "test", at: at, label: "\(verdict): \(event.detail ?? "")"))
                case .vote:
                    let target = event.target ?? "?"
                    let name = anonymous[target].map { "\(target) (\($0))" } ?? target
                    let counted = event.accepted == true ? "" : " (not counted: \(event.reason ?? ""))"
                    marks.append(.init(kind: "vote", at: at, label: "votes \(name): \(event.detail ?? "")\(counted)"))
                default:
                    continue
                }
            }
            close(at: offset(end))
            return ReportDocument.Lane(agent: agent, segments: segments, marks: marks)
        }
    }

    /// Marks only, from what the store holds (no phases are known).
    func lanes(
        iterations: [IterationRecord], tests: [TestResultRecord], votes: [StoredVote]
    ) -> [ReportDocument.Lane] {
        agents.map { agent in
            var marks: [ReportDocument.Mark] = []
            for iteration in iterations where iteration.agent == agent {
                let kind = iteration.accepted ? "answer" : "rejected"
                marks.append(
                    .init(
                        kind: kind, at: offset(iteration.createdAt),
                        label: "answer \(iteration.number): \(iteration.summary)"))
            }
            for test in tests where test.agent == agent {
                marks.append(
                    .init(
                        kind: "test", at: offset(test.createdAt), label: test.passed ? "tests pass" : "tests fail"))
            }
            for vote in votes where vote.voter == agent {
                marks.append(.init(kind: "vote", at: offset(vote.createdAt), label: "votes \(vote.target): \(vote.reason)"))
            }
            return ReportDocument.Lane(agent: agent, segments: [], marks: marks.sorted { $0.at < $1.at })
        }
    }

    /// Seconds from the start to `agent`'s last event (0 when it has none).
    static func lastActivity(of agent: String, in events: [SessionEvent], start: Date) -> Double {
        guard let last = events.last(where: { $0.agent == agent }) else { return 0 }
        return max(0, last.time.timeIntervalSince(start))
    }
}
