import CodingAgent
import Foundation
import GitWorkspace

/// Builds a `ReportDocument` for one session from the session store (`mg.sqlite`), its folder
/// (`events.jsonl`, `media/`) and the answers' commits — so it works for any past session, and
/// for a running one (`live`).
public struct ReportBuilder: Sendable {
    /// The store to read.
    public let store: SessionStore
    /// `.massgen/` of the repository.
    public let layout: ProjectLayout
    /// Lines of diff the whole report may hold (the winner's answer is served first).
    public var diffBudget = 6_000
    /// Images up to this size are embedded as thumbnails; larger ones are listed only.
    public var thumbnailMaxBytes = 256 * 1024

    /// A builder over the store of the repository laid out by `layout`.
    public init(store: SessionStore, layout: ProjectLayout) {
        self.store = store
        self.layout = layout
    }

    /// The document of `session`.
    public func build(session id: String, now: Date = Date()) throws -> ReportDocument {
        let log = try store.log(of: id)
        let rankings = try store.rankings(of: id)
        let reviews = try store.reviews(of: id)
        let usage = try store.usageByAgent(of: id)
        let events = (try? JSONLinesFile.read(SessionEvent.self, from: SessionFolder(layout: layout, session: id).eventsPath)) ?? []
        let repository = try? Repository.open(at: layout.repositoryRoot)
        var budget = diffBudget
        var turns: [ReportDocument.Turn] = []
        for entry in log.turns {
            let run = StoreSessionRecorder.runID(session: id, turn: entry.turn.number)
            turns.append(
                turn(
                    entry, run: run, events: events.filter { $0.session == run },
                    ranking: rankings.last { $0.turn == entry.turn.number },
                    review: reviews.first { $0.turn == entry.turn.number },
                    usage: usage.filter { $0.turn == entry.turn.number }, repository: repository, budget: &budget,
                    now: now))
        }
        let session = log.session
        let live = session.status == .running && session.pid.map(SessionStore.processIsAlive) == true
        return ReportDocument(
            session: .init(
                id: session.id, kind: reviews.isEmpty ? "fix" : "review", task: session.task,
                status: live || session.status != .running ? session.status.rawValue : SessionStatus.interrupted.rawValue,
                startedAt: session.startedAt, endedAt: session.endedAt, mergeMode: session.mergeMode,
                costUSD: log.costUSD),
            turns: turns, generatedAt: now, live: live)
    }

    private func turn(
        _ entry: SessionLog.Turn, run: String, events: [SessionEvent], ranking: StoredRanking?, review: StoredReview?,
        usage: [AgentUsage], repository: Repository?, budget: inout Int, now: Date
    ) -> ReportDocument.Turn {
        let record = entry.turn
        let start = record.startedAt
        let end = record.endedAt ?? events.last?.time ?? now
        let ids = entry.agents.map(\.agent)
        var anonymous: [String: String] = [:]
        for agent in entry.agents { anonymous[agent.anonymousID] = agent.agent }
        let timeline = ReportTimeline(start: start, end: end, agents: ids, anonymous: anonymous)
        let lanes =
            events.isEmpty
            ? timeline.lanes(iterations: entry.iterations, tests: entry.tests, votes: entry.votes)
            : timeline.lanes(from: events)
        let failures = Dictionary(
            events.filter { $0.kind == .agentState && $0.phase == .failed }.compactMap { event in
                event.agent.map { ($0, event.reason ?? "failed") }
            }, uniquingKeysWith: { $1 })
        let agents = entry.agents.map { agent in
            let used = usage.first { $0.agent == agent.agent }
            return ReportDocument.Agent(
                id: agent.agent, anonymousID: agent.anonymousID, backend: agent.backendType, model: agent.model,
                inputTokens: used?.inputTokens ?? 0, outputTokens: used?.outputTokens ?? 0,
                cachedTokens: used?.cachedTokens ?? 0, costUSD: used?.costUSD ?? 0,
                seconds: ReportTimeline.lastActivity(of: agent.agent, in: events, start: start),
                failure: failures[agent.agent])
        }
        let answers = self.answers(entry, winner: record.winner, repository: repository, budget: &budget)
        let votes = entry.votes.map { vote in
            ReportDocument.Vote(
                round: vote.round, voter: vote.voter,
                voterAnonymousID: entry.agents.first { $0.agent == vote.voter }?.anonymousID, target: vote.target,
                targetAgent: anonymous[vote.target], reason: vote.reason, ignored: vote.ignored,
                at: timeline.offset(vote.createdAt))
        }
        let roundEnd = ranking?.reason ?? events.last { $0.kind == .roundFinished }?.reason
        let winnerAnonymous = entry.agents.first { $0.agent == record.winner }?.anonymousID
        var reviewReport: ReportDocument.Review?
        if let review {
            let diff = ReportDiff.between(review.baseCommit, review.headCommit, repository: repository, budget: budget)
            budget -= ReportDiff.lineCount(diff)
            reviewReport = ReportDocument.Review(
                range: review.range, baseCommit: review.baseCommit, headCommit: review.headCommit, strict: review.strict,
                verdict: review.verdict?.rawValue, exitCode: review.exitCode,
                findings: FindingMerger.merge(review.findings), diff: diff)
        }
        let outcome = ReportDocument.Outcome(
            winner: record.winner, winnerAnonymousID: winnerAnonymous, mergeHow: record.mergeHow,
            mergedCommit: record.mergedCommit, roundEnd: roundEnd,
            rule: Self.rule(record: record, winnerAnonymous: winnerAnonymous, ranking: ranking, review: review, votes: votes),
            ranking: ranking?.entries ?? [])
        return ReportDocument.Turn(
            number: record.number, run: run, task: record.task, status: record.status.rawValue, startedAt: start,
            endedAt: record.endedAt, duration: max(0, end.timeIntervalSince(start)), baseCommit: record.baseCommit,
            outcome: outcome, agents: agents, lanes: lanes, answers: answers, votes: votes,
            similarity: entry.similarity.map {
                ReportDocument.Similarity(round: $0.round, label: $0.label, agents: $0.agents, matrix: $0.matrix)
            },
            attachments: entry.attachments.map(attachment), review: reviewReport)
    }

    /// The turn's answers with tests and diffs; the winner's latest answer gets the diff budget first.
    private func answers(
        _ entry: SessionLog.Turn, winner: String?, repository: Repository?, budget: inout Int
    ) -> [ReportDocument.Answer] {
        let latestWinning = entry.iterations.last { $0.agent == winner && $0.accepted }
        var answers = entry.iterations.map { iteration in
            let anonymousID = entry.agents.first { $0.agent == iteration.agent }?.anonymousID ?? iteration.agent
            let test = entry.tests.last { $0.agent == iteration.agent && $0.commitID == iteration.commitID }.map {
                ReportDocument.Test(
                    passed: $0.passed, passedCount: $0.passedCount, failedCount: $0.failedCount, failing: $0.failingNames,
                    seconds: $0.durationSeconds, outputTail: String($0.outputTail.suffix(3_000)))
            }
            return ReportDocument.Answer(
                agent: iteration.agent, anonymousID: anonymousID, iteration: iteration.number,
                commit: iteration.commitID, summary: iteration.summary, accepted: iteration.accepted,
                rejection: iteration.rejectionReason, filesChanged: iteration.filesChanged,
                insertions: iteration.insertions, deletions: iteration.deletions, winner: iteration == latestWinning,
                test: test, diff: ReportDocument.Diff(files: [], note: nil))
        }
        // Winner first, then the latest answers before earlier ones.
        let order = answers.indices.sorted { a, b in
            if answers[a].winner != answers[b].winner { return answers[a].winner }
            return a > b
        }
        for index in order {
            let diff = ReportDiff.between(
                entry.turn.baseCommit, answers[index].commit, repository: repository, budget: budget)
            budget -= ReportDiff.lineCount(diff)
            answers[index].diff = diff
        }
        return answers
    }

    private func attachment(_ media: MediaReference) -> ReportDocument.Attachment {
        let path = media.path.hasPrefix("/") ? media.path : layout.repositoryRoot + "/" + media.path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        var thumbnail: String?
        if media.mime.hasPrefix("image/"), let size, size <= thumbnailMaxBytes,
            let data = FileManager.default.contents(atPath: path)
        {
            thumbnail = "data:\(media.mime);base64," + data.base64EncodedString()
        }
        return ReportDocument.Attachment(
            path: media.path, mime: media.mime, sha256: media.sha256, bytes: size, thumbnail: thumbnail)
    }

    /// One sentence: who won and which ranking key put it ahead (or the review's verdict).
    static func rule(
        record: TurnRecord, winnerAnonymous: String?, ranking: StoredRanking?, review: StoredReview?,
        votes: [ReportDocument.Vote]
    ) -> String {
        if let review {
            let counted = votes.filter { !$0.ignored }
            let approvals = counted.filter { $0.target == ReviewVerdict.approve.rawValue }.count
            let rule = review.strict ? "unanimity required" : "majority"
            guard let verdict = review.verdict else {
                return "No verdict (\(rule)): \(approvals) of \(counted.count) reviewers approved; exit \(review.exitCode.map(String.init) ?? "?")."
            }
            return "\(verdict.rawValue) by \(rule): \(approvals) of \(counted.count) reviewers approved."
        }
        if let decision = record.decision {
            // The decision in the words the session used: the gate's rule, and any overruled vote.
            var text = "Nothing landed: \(decision.rule)."
            if let winner = record.winner {
                let prefix = (winnerAnonymous ?? "") + ": "
                let rule = decision.rule.hasPrefix(prefix) ? String(decision.rule.dropFirst(prefix.count)) : decision.rule
                text = "\(winner)\(winnerAnonymous.map { " (\($0))" } ?? "") won: \(rule)."
            }
            if let overruled = decision.overruled { text += " The evidence overruled the vote: \(overruled)." }
            return text
        }
        guard let winner = record.winner else {
            return "No winner: the turn ended \(record.status.rawValue.replacingOccurrences(of: "_", with: " "))."
        }
        let name = winner + (winnerAnonymous.map { " (\($0))" } ?? "")
        guard let entries = ranking?.entries, let top = entries.first else {
            return "\(name) won (no ranking was recorded for this session)."
        }
        let total = entries.reduce(0) { $0 + (number($1["votes"]) ?? 0) }
        let votes = "\(number(top["votes"]) ?? 0) of \(total) votes"
        guard entries.count > 1, case .string(let key)? = top["decidedBy"] else {
            return "\(name) won: the only answer (\(votes))."
        }
        let next = entries[1]["anonymousID"].flatMap { if case .string(let id) = $0 { id } else { nil } } ?? "the next"
        return "\(name) won: ahead of \(next) on \(key.replacingOccurrences(of: "_", with: " ")) (\(votes))."
    }

    private static func number(_ value: JSONValue?) -> Int? {
        if case .number(let number)? = value { return Int(number) }
        return nil
    }
}
