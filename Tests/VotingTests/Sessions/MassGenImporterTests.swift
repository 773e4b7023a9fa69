import Foundation
import GitWorkspace
import Testing

@testable import Voting

/// A MassGen `.massgen/` as its multi-turn CLI writes it (metadata.json keys, SESSION_SUMMARY.txt
/// blocks, massgen_logs/log_*/status.json and agent_outputs), built in a temp folder.
private func writeMassGenFixture(_ folder: TemporaryFolder) throws {
    let session = ".massgen/sessions/session_20250928_143022"
    try folder.write(
        "\(session)/turn_1/metadata.json",
        """
        {
          "turn": 1,
          "timestamp": "2025-09-28T14:30:22.123456",
          "winning_agent": "agent_b",
          "task": "Make a website about Bob Dylan",
          "session_id": "session_20250928_143022"
        }
        """)
    try folder.write("\(session)/turn_1/answer.txt", "I created index.html in .massgen/workspaces/workspace1/index.html")
    try folder.write("\(session)/turn_1/workspace/index.html", "<html></html>")
    try folder.write(
        "\(session)/turn_2/metadata.json",
        """
        {"turn": 2, "timestamp": "2025-09-28T14:41:05.5", "winning_agent": "agent_a",
         "task": "Remove the image placeholder", "session_id": "session_20250928_143022",
         "models": {"agent_a": "gpt-5", "agent_b": "grok-4"}, "winning_model": "gpt-5"}
        """)
    try folder.write("\(session)/turn_2/answer.txt", "Removed the placeholder.")
    // Turn 3 has no metadata.json: its fields come from SESSION_SUMMARY.txt.
    try folder.write("\(session)/turn_3/answer.txt", "Added a quiz.")
    try folder.write(
        "\(session)/SESSION_SUMMARY.txt",
        """
        ================================================================================
        Multi-Turn Session: session_20250928_143022
        ================================================================================


        ================================================================================
        TURN 1
        ================================================================================
        Timestamp: 2025-09-28T14:30:22.123456
        Winning Agent: agent_b
        Task: Make a website about Bob Dylan
        Workspace: /p/.massgen/sessions/session_20250928_143022/turn_1/workspace
        Answer: See /p/.massgen/sessions/session_20250928_143022/turn_1/answer.txt

        ================================================================================
        TURN 3
        ================================================================================
        Timestamp: 2025-09-28T15:02:00
        Winning Agent: agent_c
        Task: Add an interactive quiz
        """)
    let log = ".massgen/massgen_logs/log_20250928_143022_123456"
    try folder.write("\(log)/turn_1/massgen_debug.log", "debug")
    try folder.write("\(log)/status.json", #"{"meta": {"question": "Make a website about Bob Dylan"}}"#)
    try folder.write("\(log)/turn_1/agent_outputs/final_presentation_agent_b.txt", "Final from b")
    try folder.write("\(log)/turn_1/agent_outputs/final_presentation_agent_b_latest.txt", "Final from b")
}

/// Every file under `root` with its content (but mg's own store and `.gitignore`), to prove the
/// import moved and changed nothing of MassGen's.
private func snapshot(_ root: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root)
    while let relative = enumerator?.nextObject() as? String {
        var isDirectory: ObjCBool = false
        let path = root + "/" + relative
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            !relative.hasPrefix("sessions/mg.sqlite"), relative != ".gitignore"
        {
            files[relative] = FileManager.default.contents(atPath: path)
        }
    }
    return files
}

@Suite("MassGenImporter")
struct MassGenImporterTests {
    @Test("imports sessions, turns and logs as read-only history, leaving the originals untouched")
    func importsFixture() throws {
        let folder = try TemporaryFolder()
        try writeMassGenFixture(folder)
        let before = try snapshot(folder.layout.root)
        let store = try SessionStore.open(layout: folder.layout)
        let report = MassGenImporter(layout: folder.layout, store: store).importAll()

        #expect(report.sessions == ["massgen-session_20250928_143022", "massgen-log_20250928_143022_123456"])
        #expect(report.turns.count == 4)
        #expect(report.alreadyImported == 0)
        #expect(try snapshot(folder.layout.root) == before)

        let log = try store.log(of: "massgen-session_20250928_143022")
        #expect(log.session.status == .imported)
        #expect(log.session.legacyPath == "sessions/session_20250928_143022")
        #expect(log.session.task == "Make a website about Bob Dylan")
        #expect(log.session.winner == "agent_c")
        #expect(log.turns.map(\.turn.number) == [1, 2, 3])
        #expect(log.turns.map(\.turn.winner) == ["agent_b", "agent_a", "agent_c"])
        #expect(log.turns.map(\.turn.task) == [
            "Make a website about Bob Dylan", "Remove the image placeholder", "Add an interactive quiz",
        ])
        #expect(log.turns.allSatisfy { $0.turn.status == .imported })
        // MassGen answers are stored as written (their paths are not mg worktrees).
        #expect(log.turns[0].turn.answer == "I created index.html in .massgen/workspaces/workspace1/index.html")
        #expect(log.turns[1].agents.map(\.model) == ["gpt-5", "grok-4"])
        let expectedStart = try #require(MassGenImporter.date(fromISO: "2025-09-28T14:30:22"))
        #expect(log.session.startedAt == expectedStart)
        #expect(log.turns[2].turn.startedAt == MassGenImporter.date(fromISO: "2025-09-28T15:02:00"))

        let history = try store.conversation(of: "massgen-session_20250928_143022")
        #expect(history.map(\.role) == [.user, .assistant, .user, .assistant, .user, .assistant])
        #expect(history[3].text == "Removed the placeholder.")

        let run = try store.log(of: "massgen-log_20250928_143022_123456")
        #expect(run.session.task == "Make a website about Bob Dylan")
        #expect(run.turns.first?.turn.winner == "agent_b")
        #expect(run.turns.first?.turn.answer == "Final from b")
        #expect(try store.latestSession() == nil)  // imported history is never continued
    }

    @Test("running it twice imports nothing twice; a turn added later is imported alone")
    func idempotent() throws {
        let folder = try TemporaryFolder()
        try writeMassGenFixture(folder)
        let store = try SessionStore.open(layout: folder.layout)
        let importer = MassGenImporter(layout: folder.layout, store: store)
        _ = importer.importAll()
        let listing = try store.listSessions()

        let again = importer.importAll()
        #expect(again.sessions.isEmpty)
        #expect(again.turns.isEmpty)
        #expect(again.alreadyImported == 6)  // two sessions + four turns
        #expect(try store.listSessions() == listing)
        #expect(try store.conversation(of: "massgen-session_20250928_143022").count == 6)

        try folder.write(
            ".massgen/sessions/session_20250928_143022/turn_4/metadata.json",
            #"{"turn": 4, "timestamp": "2025-09-28T16:00:00", "winning_agent": "agent_a", "task": "Dark mode"}"#)
        let third = importer.importAll()
        #expect(third.sessions.isEmpty)
        #expect(third.turns == ["massgen-session_20250928_143022#4"])
        let session = try #require(try store.session("massgen-session_20250928_143022"))
        #expect(session.winner == "agent_a")
        #expect(try store.turns(of: session.id).count == 4)
    }

    @Test("every layout imports in one run (single-turn logs, summary-only sessions), a failing folder never stops the rest, and a re-run picks it up")
    func everyLayoutAndFailures() throws {
        let folder = try TemporaryFolder()
        try writeMassGenFixture(folder)
        // MassGen's usual single-turn run: no turn_N/ folders.
        let single = ".massgen/massgen_logs/log_20250929_101010_000001"
        try folder.write("\(single)/status.json", #"{"meta": {"question": "Write a haiku"}}"#)
        try folder.write("\(single)/agent_outputs/final_presentation_agent_a.txt", "An old silent pond")
        // A session folder holding only its summary.
        try folder.write(
            ".massgen/sessions/session_20250930_090000/SESSION_SUMMARY.txt",
            "TURN 1\nTimestamp: 2025-09-30T09:00:00\nWinning Agent: agent_a\nTask: Plan a trip\n\n"
                + "TURN 2\nTimestamp: 2025-09-30T09:10:00\nWinning Agent: agent_b\nTask: Book the hotel\n")
        let before = try snapshot(folder.layout.root)
        let store = try SessionStore.open(layout: folder.layout)
        // A session that already holds the id one folder would get makes that folder fail.
        try store.beginSession(SessionRecord(id: "massgen-log_20250929_101010_000001", repository: folder.path, task: "x"))
        let importer = MassGenImporter(layout: folder.layout, store: store)
        let first = importer.importAll()
        #expect(first.failures.map(\.path) == ["massgen_logs/log_20250929_101010_000001"])
        #expect(first.failures.first?.reason.contains("UNIQUE") == true)
        #expect(first.sessions.contains("massgen-session_20250930_090000"))
        #expect(first.sessions.contains("massgen-log_20250928_143022_123456"), "folders after the failing one still import")
        let summaryOnly = try store.log(of: "massgen-session_20250930_090000")
        #expect(summaryOnly.turns.map(\.turn.task) == ["Plan a trip", "Book the hotel"])
        #expect(summaryOnly.turns.map(\.turn.winner) == ["agent_a", "agent_b"])

        // The obstacle goes; a re-run imports exactly what failed.
        try store.database.write { (connection) throws(SessionStoreError) in
            try connection.execute("DELETE FROM sessions WHERE id = 'massgen-log_20250929_101010_000001'")
        }
        let second = importer.importAll()
        #expect(second.failures.isEmpty && second.sessions == ["massgen-log_20250929_101010_000001"])
        let run = try store.log(of: "massgen-log_20250929_101010_000001")
        #expect(run.turns.map(\.turn.task) == ["Write a haiku"] && run.turns.first?.turn.answer == "An old silent pond")
        let third = importer.importAll()
        #expect(third.sessions.isEmpty && third.turns.isEmpty && third.failures.isEmpty)
        #expect(try snapshot(folder.layout.root) == before, "the MassGen folders are byte-identical")
        #expect(FileManager.default.contents(atPath: folder.layout.root + "/.gitignore") == Data("*\n".utf8))
    }

    @Test("an empty or absent MassGen layout imports nothing")
    func nothingToImport() throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        let report = MassGenImporter(layout: folder.layout, store: store).importAll()
        #expect(report == MassGenImporter.Report())
        #expect(try store.listSessions().isEmpty)
    }
}
