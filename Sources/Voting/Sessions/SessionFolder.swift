import CodingAgent
import Foundation
import GitWorkspace
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-session folder `.massgen/sessions/<session>/`: one JSONL transcript per agent
/// (`transcripts/<agent>.jsonl`, one `TranscriptEntry` per line) and `events.jsonl`.
///
/// Lines are appended with `O_APPEND` and fsync'd before the call returns, so a tool call is on
/// disk before the tool runs. Readers skip a torn last line (a crash mid-write).
public struct SessionFolder: Sendable, Hashable {
    /// The folder.
    public let path: String

    /// The folder of `session` in `layout`.
    public init(layout: ProjectLayout, session: String) {
        self.path = layout.sessionDirectory(session)
    }

    /// A folder at an explicit path.
    public init(path: String) {
        self.path = path
    }

    /// `transcripts/<agent>.jsonl`
    public func transcriptPath(agent: String) -> String { path + "/transcripts/" + agent + ".jsonl" }
    /// `events.jsonl`
    public var eventsPath: String { path + "/events.jsonl" }

    /// A recorder that appends `agent`'s transcript to its JSONL file.
    public func transcriptRecorder(agent: String) throws(SessionStoreError) -> JSONLinesFile {
        try JSONLinesFile(path: transcriptPath(agent: agent))
    }

    /// The events log.
    public func eventLog() throws(SessionStoreError) -> JSONLinesFile {
        try JSONLinesFile(path: eventsPath)
    }

    /// `agent`'s transcript as recorded (a torn last line is skipped).
    public func readTranscript(agent: String) throws(SessionStoreError) -> [TranscriptEntry] {
        try JSONLinesFile.read(TranscriptEntry.self, from: transcriptPath(agent: agent))
    }

    /// Agents that have a transcript, sorted.
    public func transcriptAgents() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path + "/transcripts")) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(6)) }.sorted()
    }
}

/// An append-only, fsync'd JSON Lines file; also a `TranscriptRecorder`.
public final class JSONLinesFile: TranscriptRecorder, Sendable {
    /// The file.
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Opens `path` for appending, creating it and its folder.
    public init(path: String) throws(SessionStoreError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .file(path: folder, reason: error.localizedDescription)
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .file(path: path, reason: String(cString: strerror(errno))) }
        descriptor = Mutex(fd)
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
            fd = -1
        }
    }

    /// Appends one value as a line and syncs it to disk. Dates are written like `--json` output
    /// writes them (ISO 8601, UTC, milliseconds), so `events.jsonl` matches docs/events.md.
    public func append<T: Encodable>(_ value: T) throws(SessionStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(SessionEvent.timestamp(date))
        }
        var data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw .encoding(what: "a line of \(path)", reason: "\(error)")
        }
        data.append(UInt8(ascii: "\n"))
        let failure: String? = descriptor.withLock { fd in
            guard fd >= 0 else { return "the file was closed" }
            let written = data.withUnsafeBytes { raw -> Int in
                var offset = 0
                while offset < raw.count {
                    let n = write(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return -1
                    }
                    offset += n
                }
                return offset
            }
            guard written == data.count, fsync(fd) == 0 else { return String(cString: strerror(errno)) }
            return nil
        }
        if let failure { throw .file(path: path, reason: failure) }
    }

    /// `TranscriptRecorder`: appends the entry off the cooperative pool (the fsync blocks); a
    /// failed write is reported on stderr rather than stopping the agent (the database still has
    /// the session's state).
    public func record(_ entry: TranscriptEntry) async {
        await BlockingWork.run { [self] in
            do {
                try append(entry)
            } catch {
                FileHandle.standardError.write(Data("mg: \(error)\n".utf8))
            }
        }
    }

    /// Every line of `path` decoded as `T`; a missing file is empty, a torn final line is skipped.
    public static func read<T: Decodable>(_ type: T.Type, from path: String) throws(SessionStoreError) -> [T] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .file(path: path, reason: error.localizedDescription)
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        let complete = data.last == UInt8(ascii: "\n")
        var values: [T] = []
        let decoder = JSONDecoder()
        // ISO 8601 strings; files written before mg used them hold seconds since 2001.
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                guard let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt).parse(text)
                else {
                    throw DecodingError.dataCorruptedError(
                        in: container, debugDescription: "\(text) is not an ISO 8601 time")
                }
                return date
            }
            return Date(timeIntervalSinceReferenceDate: try container.decode(Double.self))
        }
        for (index, line) in lines.enumerated() {
            do {
                values.append(try decoder.decode(type, from: Data(line)))
            } catch {
                // Only the last line may be torn by a crash; anything else is real damage.
                if index == lines.count - 1 && !complete { break }
                throw .encoding(what: "line \(index + 1) of \(path)", reason: "\(error)")
            }
        }
        return values
    }
}
