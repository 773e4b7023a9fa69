import Foundation
import GitWorkspace
import Testing

@testable import Voting

@Suite("SessionStore")
struct SessionStoreTests {
    @Test("migrates an empty file to the current version; reopening changes nothing")
    func migrationsFromEmptyAndReopen() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        #expect(store.path == folder.path + "/.massgen/sessions/mg.sqlite")
        #expect(try store.schemaVersion() == SessionSchema.currentVersion)
        try populate(store, session: "s1", startedAt: Date(timeIntervalSince1970: 1_000))
        store.close()
        #expect(throws: SessionStoreError.closed(path: store.path)) { try store.listSessions() }

        let reopened = try SessionStore.open(layout: folder.layout)
        #expect(try SessionSchema.migrate(reopened.database) == SessionSchema.currentVersion)
        #expect(try reopened.listSessions().map(\.id) == ["s1"])
        let mode = try reopened.database.withConnection { (c) throws(SessionStoreError) in
            (try c.first("PRAGMA journal_mode") { $0.text(0) }, try c.first("PRAGMA synchronous") { $0.int(0) },
             try c.first("PRAGMA foreign_keys") { $0.int(0) })
        }
        #expect(mode.0 == "wal")
        #expect(mode.1 == 2)  // FULL
        #expect(mode.2 == 1)
    }

    @Test("a database from a newer mg is refused with a typed error")
    func newerSchemaRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/future.sqlite"
        let raw = try SQLiteDatabase(path: path)
        try raw.withConnection { (c) throws(SessionStoreError) in try c.execute("PRAGMA user_version = 99") }
        raw.close()
        #expect(throws: SessionStoreError.newerSchema(path: path, found: 99, supported: SessionSchema.currentVersion)) {
            _ = try SessionStore(path: path)
        }
    }

    @Test("every table round-trips through the session log")
    func everyTableRoundTrips() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        let start = Date(timeIntervalSince1970: 1_700_000_000.25)
        let session = SessionRecord(
            id: "s1", repository: folder.path, task: "Fix the parser", startedAt: start, baseCommit: "abc",
            targetRef: "refs/heads/main", mergeMode: "squash", pid: 4242)
        try store.beginSession(session)
        let turn = TurnRecord(session: "s1", number: 1, task: "Fix the parser", baseCommit: "abc", startedAt: start)
        try store.beginTurn(turn)
        let agent = StoredAgent(
            session: "s1", turn: 1, agent: "gpt", anonymousID: "agent1", backendType: "openai", model: "gpt-4o",
            branch: "refs/heads/massgen/s1/gpt", worktreePath: folder.path + "/.massgen/workspaces/s1/gpt")
        try store.recordAgent(agent)
        let iteration = IterationRecord(
            session: "s1", turn: 1, agent: "gpt", number: 1, commitID: "c1", parentCommit: "abc", summary: "Fix",
            filesChanged: 2, insertions: 10, deletions: 3, accepted: false, rejectionReason: "identical", createdAt: start)
        try store.recordIteration(iteration)
        let vote = StoredVote(
            session: "s1", turn: 1, round: 2, voter: "gpt", target: "agent2", reason: "smaller", ignored: true,
            createdAt: start)
        try store.recordVote(vote)
        let test = TestResultRecord(
            session: "s1", turn: 1, agent: "gpt", commitID: "c1", passed: false, passedCount: 4, failedCount: 1,
            failingNames: ["ParserTests.empty"], outputTail: "1 failure", durationSeconds: 1.5, createdAt: start)
        try store.recordTestResult(test)
        let similarity = StoredSimilarity(
            session: "s1", turn: 1, round: 1, label: "diffs", agents: ["gpt", "claude"],
            matrix: [[1, 0.25], [0.25, 1]], createdAt: start)
        try store.recordSimilarity(similarity)
        try store.recordUsage(UsageRecord(session: "s1", turn: 1, agent: "gpt", inputTokens: 1000, outputTokens: 200, costUSD: 0.5))
        try store.recordUsage(UsageRecord(session: "s1", turn: 1, agent: "gpt", inputTokens: 5, outputTokens: 5))
        let operation = OperationRecord(
            kind: .merge(.squash), repositoryRoot: folder.path, date: start,
            removedWorktrees: [AgentWorktree(session: "s1", agent: "gpt", path: "/w")], summary: "squash gpt onto main")
        let operationID = try store.recordOperation(operation, session: "s1")
        try store.finishTurn(session: "s1", turn: 1, status: .mergeRefused, winner: "gpt", answer: "Fixed", mergeHow: "refused")
        try store.finishSession("s1", status: .mergeRefused)

        let log = try store.log(of: "s1")
        #expect(log.session.status == .mergeRefused)
        #expect(log.session.winner == "gpt")
        #expect(log.session.pid == 4242)
        #expect(log.session.startedAt == start)
        #expect(log.turns.count == 1)
        let entry = try #require(log.turns.first)
        #expect(entry.turn.winner == "gpt")
        #expect(entry.turn.answer == "Fixed")
        #expect(entry.turn.mergeHow == "refused")
        #expect(entry.agents == [agent])
        #expect(entry.iterations == [iteration])
        #expect(entry.votes == [vote])
        #expect(entry.tests == [test])
        #expect(entry.similarity == [similarity])
        #expect(entry.tokens == 1210)
        #expect(entry.costUSD == 0.5)
        #expect(log.operations.map(\.id) == [operationID])
        #expect(log.operations.first?.record == operation)

        // The Codable value survives `mg log --json`, and the rendering names what happened.
        let json = try JSONEncoder().encode(log)
        #expect(try JSONDecoder().decode(SessionLog.self, from: json) == log)
        let text = log.rendered()
        #expect(text.contains("session s1  merge refused"))
        #expect(text.contains("answer gpt#1 c1  2 files +10 -3  Fix  rejected: identical"))
        #expect(text.contains("vote r2 gpt -> agent2: smaller  (ignored)"))
        #expect(text.contains("tests gpt @c1: FAILED (4 passed, 1 failed, 1.5 s)  failing: ParserTests.empty"))
        #expect(text.contains("merge: refused"))

        // A plain test script reports only its exit status: no made-up counts, milliseconds when quick.
        try store.recordTestResult(
            TestResultRecord(
                session: "s1", turn: 1, agent: "gpt", commitID: "c2", passed: true, passedCount: 0, failedCount: 0,
                failingNames: [], outputTail: "ok", durationSeconds: 0.012, createdAt: start))
        try store.recordIteration(
            IterationRecord(
                session: "s1", turn: 1, agent: "gpt", number: 2, commitID: "c2", parentCommit: "c1", summary: "One",
                filesChanged: 1, insertions: 1, deletions: 1, accepted: true, rejectionReason: nil, createdAt: start))
        let again = try store.log(of: "s1").rendered()
        #expect(again.contains("tests gpt @c2: passed (12 ms)"), "\(again)")
        #expect(again.contains("answer gpt#2 c2  1 file +1 -1  One"))
    }

    @Test("conversation keeps order and media references, with worktree paths normalized")
    func conversationRoundTrip() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        try populate(store, session: "s1", startedAt: Date(), turns: 2)
        let media = MediaReference(path: folder.path + "/.massgen/workspaces/s1/a/shot.png", sha256: "ab12", mime: "image/png")
        try store.appendConversation(ConversationEntry(session: "s1", turn: 2, role: .user, text: "second"))
        try store.appendConversation(
            ConversationEntry(
                session: "s1", turn: 1, role: .assistant,
                text: "Edited \(folder.path)/.massgen/workspaces/s1/a/src/x.swift", media: [media]))
        let history = try store.conversation(of: "s1")
        #expect(history.map(\.turn) == [1, 2])
        #expect(history[0].text == "Edited src/x.swift")
        #expect(history[0].media == [MediaReference(path: "shot.png", sha256: "ab12", mime: "image/png")])
        #expect(history[1].role == .user)
    }

    @Test("writes that break references are refused, not half-stored")
    func constraintsEnforced() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        #expect(throws: SessionStoreError.self) {
            try store.beginTurn(TurnRecord(session: "missing", number: 1, task: "x"))
        }
        try populate(store, session: "s1", startedAt: Date(), turns: 1)
        #expect(throws: SessionStoreError.self) {
            try store.recordVote(StoredVote(session: "s1", turn: 9, round: 1, voter: "a", target: "b", reason: ""))
        }
        #expect(throws: SessionStoreError.notFound(what: "turn 7 of session s1")) {
            try store.finishTurn(session: "s1", turn: 7, status: .finished)
        }
        #expect(try store.log(of: "s1").turns.count == 1)
    }

    @Test("listing is newest first with turn counts, winners and costs; latest skips imports")
    func listingOrder() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        try populate(store, session: "old", startedAt: Date(timeIntervalSince1970: 100), turns: 1)
        try populate(store, session: "new", startedAt: Date(timeIntervalSince1970: 300), turns: 3)
        try populate(store, session: "mid", startedAt: Date(timeIntervalSince1970: 200), turns: 2, status: .failed)
        try store.beginSession(
            SessionRecord(id: "imp", repository: "/r", task: "t", startedAt: Date(timeIntervalSince1970: 400), status: .imported))
        let list = try store.listSessions()
        #expect(list.map(\.id) == ["imp", "new", "mid", "old"])
        #expect(list.map(\.turns) == [0, 3, 2, 1])
        #expect(list[1].winner == "alpha")
        #expect(abs(list[1].costUSD - 0.06) < 1e-9)
        #expect(list[2].status == .failed)
        #expect(try store.listSessions(limit: 2).count == 2)
        #expect(try store.latestSession()?.id == "new")
    }

    @Test("a running session whose process died is reported interrupted, with its worktrees")
    func interruptedDetection() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        let dead = try deadProcessID()
        try populate(store, session: "crashed", startedAt: Date(timeIntervalSince1970: 10), turns: 2, pid: dead, status: .running)
        try populate(store, session: "live", startedAt: Date(timeIntervalSince1970: 20), turns: 1,
                     pid: ProcessInfo.processInfo.processIdentifier, status: .running)
        try populate(store, session: "done", startedAt: Date(timeIntervalSince1970: 30), turns: 1)

        let unfinished = try store.unfinishedSessions()
        #expect(unfinished.map(\.session.id) == ["live", "crashed"])
        let crashed = try #require(unfinished.last)
        #expect(crashed.session.status == .interrupted)
        #expect(crashed.turn == 2)
        #expect(crashed.agents.map(\.worktreePath) == [
            "/repo/.massgen/workspaces/crashed/alpha", "/repo/.massgen/workspaces/crashed/beta",
        ])
        #expect(crashed.agents.map(\.branch) == ["refs/heads/massgen/crashed/alpha", "refs/heads/massgen/crashed/beta"])
        #expect(unfinished.first?.session.status == .running)
        #expect(try store.listSessions().first { $0.id == "crashed" }?.status == .interrupted)
        #expect(try store.session("crashed")?.status == .running)  // reading does not write

        _ = try store.unfinishedSessions(persist: true)
        #expect(try store.session("crashed")?.status == .interrupted)
        #expect(try store.turns(of: "crashed").map(\.status) == [.finished, .finished])
        try store.resumeSession("crashed")
        #expect(try store.session("crashed")?.status == .running)
        #expect(try store.session("crashed")?.pid == ProcessInfo.processInfo.processIdentifier)
    }

    @Test("the operation log lists newest first and marks undone once")
    func operationLog() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        let first = try store.recordOperation(
            OperationRecord(kind: .merge(.apply), repositoryRoot: folder.path, summary: "apply a"))
        let second = try store.recordOperation(
            OperationRecord(kind: .worktreesRemoved, repositoryRoot: folder.path, summary: "clean s1"))
        #expect(try store.operations().map(\.kind) == ["worktrees-removed", "merge:apply"])
        #expect(try store.lastUndoableOperation()?.id == second)
        try store.markOperationUndone(second)
        #expect(throws: SessionStoreError.self) { try store.markOperationUndone(second) }
        #expect(try store.lastUndoableOperation()?.id == first)
        #expect(try store.operations().first?.undone == true)
        var updated = OperationRecord(kind: .merge(.noFF), repositoryRoot: folder.path, summary: "no-ff a")
        updated.summary = "no-ff a (done)"
        try store.updateOperation(first, record: updated)
        #expect(try store.operations(includeUndone: false).map(\.summary) == ["no-ff a (done)"])
    }

    @Test("a transaction journals the operation before it runs, withdraws it when it fails, and keeps a failed rollback marked")
    func transactionJournal() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        let lock = RepositoryTransaction.Lock.acquire(layout: folder.layout, purpose: "test", wait: nil)
        let record = OperationRecord(kind: .merge(.squash), repositoryRoot: folder.path, summary: "squash a")
        var seenWhileRunning: [OperationState] = []
        _ = try RepositoryTransaction.run(lock, journal: store.journal(for: record, session: nil)) {
            () throws(GitWorkspaceError) -> OperationRecord in
            seenWhileRunning = (try? store.operations().map(\.state)) ?? []
            return record
        }
        #expect(seenWhileRunning == [.planned], "logged as planned before anything is carried out")
        #expect(try store.operations().map(\.state) == [.done])

        let refused = OperationRecord(kind: .merge(.apply), repositoryRoot: folder.path, summary: "apply b")
        #expect(throws: GitWorkspaceError.self) {
            try RepositoryTransaction.run(lock, journal: store.journal(for: refused, session: nil)) {
                () throws(GitWorkspaceError) -> OperationRecord in
                throw .mergeRefused(reason: "src/app.txt changed", hint: "merge by hand")
            }
        }
        #expect(try store.operations().map(\.summary) == ["squash a"], "a refused operation leaves no record")

        let broken = OperationRecord(kind: .merge(.apply), repositoryRoot: folder.path, summary: "apply c")
        #expect(throws: GitWorkspaceError.self) {
            try RepositoryTransaction.run(lock, journal: store.journal(for: broken, session: nil)) {
                () throws(GitWorkspaceError) -> OperationRecord in
                throw .rollbackFailed(problem: "disk full", paths: ["src/app.txt"])
            }
        }
        let kept = try #require(try store.unfinishedOperations().first)
        #expect(kept.summary == "apply c" && kept.state == .rollbackFailed && kept.problem == "disk full")
    }

    @Test("commits are durable: a second connection sees them and the file passes integrity_check")
    func durableAcrossConnections() throws {
        let folder = try TemporaryFolder()
        let writer = try SessionStore.open(layout: folder.layout)
        let reader = try SessionStore.open(layout: folder.layout)
        try writer.beginSession(SessionRecord(id: "s1", repository: "/r", task: "t"))
        try writer.beginTurn(TurnRecord(session: "s1", number: 1, task: "t"))
        // No close, no checkpoint: the reader sees each committed write at once.
        #expect(try reader.turns(of: "s1").count == 1)
        #expect(try reader.integrityCheck() == ["ok"])
        #expect(FileManager.default.fileExists(atPath: writer.path + "-wal"))
    }

    @Test("two stores writing the same file concurrently lose nothing")
    func concurrentWriters() async throws {
        let folder = try TemporaryFolder()
        let first = try SessionStore.open(layout: folder.layout)
        let second = try SessionStore.open(layout: folder.layout)
        try first.beginSession(SessionRecord(id: "s", repository: "/r", task: "t"))
        try first.beginTurn(TurnRecord(session: "s", number: 1, task: "t"))
        let perWriter = 100
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in [first, second].enumerated() {
                group.addTask {
                    for n in 1...perWriter {
                        try store.recordIteration(
                            IterationRecord(session: "s", turn: 1, agent: "w\(index)", number: n, commitID: "c", summary: "x"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let log = try first.log(of: "s")
        #expect(log.turns.first?.iterations.count == 2 * perWriter)
        #expect(try second.integrityCheck() == ["ok"])
    }
}
