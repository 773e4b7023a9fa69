import CodingAgent
import Foundation
import Testing

@testable import Voting
import GitWorkspace

@Suite("SessionFolder")
struct SessionFolderTests {
    @Test("transcripts are JSON lines of TranscriptEntry, readable back in order")
    func transcriptRoundTrip() async throws {
        let folder = try TemporaryFolder()
        let sessionFolder = SessionFolder(layout: folder.layout, session: "s1")
        let recorder = try sessionFolder.transcriptRecorder(agent: "alpha")
        let entries = [
            TranscriptEntry(step: 1, event: .correction("no tool call")),
            TranscriptEntry(step: 1, event: .usage(TokenUsage(inputTokens: 10, outputTokens: 2), costUSD: 0.001)),
            TranscriptEntry(step: 2, event: .finished("answered")),
        ]
        for entry in entries { await recorder.record(entry) }
        #expect(try sessionFolder.readTranscript(agent: "alpha") == entries)
        #expect(sessionFolder.transcriptAgents() == ["alpha"])
        let text = try String(contentsOfFile: sessionFolder.transcriptPath(agent: "alpha"), encoding: .utf8)
        #expect(text.split(separator: "\n").count == 3)
        #expect(sessionFolder.transcriptPath(agent: "alpha") == folder.path + "/.massgen/sessions/s1/transcripts/alpha.jsonl")
    }

    @Test("a torn last line (crash mid-write) is skipped; damage elsewhere is an error")
    func tornLastLine() throws {
        let folder = try TemporaryFolder()
        let events = try SessionFolder(layout: folder.layout, session: "s1").eventLog()
        try events.append(["kind": "started"])
        try events.append(["kind": "answer"])
        let handle = try #require(FileHandle(forWritingAtPath: events.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"kind": "vo"#.utf8))
        try handle.close()
        #expect(try JSONLinesFile.read([String: String].self, from: events.path) == [["kind": "started"], ["kind": "answer"]])

        try Data("not json\n{\"kind\": \"x\"}\n".utf8).write(to: URL(fileURLWithPath: events.path))
        #expect(throws: SessionStoreError.self) { _ = try JSONLinesFile.read([String: String].self, from: events.path) }
        #expect(try JSONLinesFile.read([String: String].self, from: folder.path + "/missing.jsonl").isEmpty)
    }

    @Test("times are ISO 8601 like --json output, and older files with numeric times still read")
    func timesAreISO8601() throws {
        let folder = try TemporaryFolder()
        let log = try SessionFolder(layout: folder.layout, session: "s1").eventLog()
        let time = Date(timeIntervalSince1970: 1_800_000_000.125)
        let event = SessionEvent(.sessionStarted, session: "s1", time: time)
        try log.append(event)
        let line = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(line.contains(#""time":"2027-01-15T08:00:00.125Z""#), "\(line)")
        #expect(line == event.jsonLine() + "\n", "the same bytes as `mg fix --json` prints")
        #expect(try JSONLinesFile.read(SessionEvent.self, from: log.path) == [event])

        let older = #"{"event":"session_started","session":"s1","time":\#(time.timeIntervalSinceReferenceDate)}"#
        try Data((older + "\n").utf8).write(to: URL(fileURLWithPath: log.path))
        #expect(try JSONLinesFile.read(SessionEvent.self, from: log.path).first?.time == time)
    }
}
