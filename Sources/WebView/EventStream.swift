import FlyingFox
import FlyingSocks
import Foundation
import GitWorkspace
import Voting

/// The Server-Sent Events of one session: every line of its `events.jsonl` as a `data:` event
/// (the whole history first, then new lines as they are appended), a comment every few seconds
/// to keep the connection open, and — once the session is over — a final `snapshot` event with
/// the whole `ReportDocument`, after which the stream ends.
///
/// Following the file, not the process's event sink, makes `mg serve` show sessions that another
/// `mg` runs, and `mg fix --web` the same way; the recorder fsyncs each line before it goes on.
struct EventStream: Sendable {
    let layout: ProjectLayout
    let session: String
    /// How often the file is polled for new lines.
    var poll: Duration = .milliseconds(150)
    /// How long to wait for `session_finished` after the store says the session ended.
    var grace: Duration = .seconds(1)
    var heartbeat: Duration = .seconds(5)

    /// The byte stream of the response body.
    func bytes(onEnd: @escaping @Sendable () -> Void) -> ByteChunks {
        let stream = AsyncStream<Data> { continuation in
            let task = Task {
                await run(continuation)
                continuation.finish()
            }
            continuation.onTermination = { _ in
                task.cancel()
                onEnd()
            }
        }
        return ByteChunks(stream: stream)
    }

    private func run(_ out: AsyncStream<Data>.Continuation) async {
        let path = SessionFolder(layout: layout, session: session).eventsPath
        var tail = LineTail(path: path)
        let clock = ContinuousClock()
        var lastBeat = clock.now
        var endedAt: ContinuousClock.Instant?
        out.yield(Data("retry: 1000\n\n".utf8))
        while !Task.isCancelled {
            var sawFinish = false
            for line in tail.readNewLines() {
                out.yield(Data("data: \(line)\n\n".utf8))
                sawFinish = sawFinish || line.contains(#""event":"session_finished""#)
            }
            if !isRunning() {
                endedAt = endedAt ?? clock.now
                if sawFinish || clock.now - (endedAt ?? clock.now) >= grace || tail.isMissing {
                    if let snapshot = snapshot() { out.yield(Data("event: snapshot\ndata: \(snapshot)\n\n".utf8)) }
                    return
                }
            }
            if clock.now - lastBeat >= heartbeat {
                out.yield(Data(": still here\n\n".utf8))
                lastBeat = clock.now
            }
            try? await Task.sleep(for: poll)
        }
    }

    private func isRunning() -> Bool {
        guard let store = try? SessionStore.open(layout: layout) else { return false }
        defer { store.close() }
        guard let record = try? store.session(session) else { return false }
        return record.status == .running && record.pid.map(SessionStore.processIsAlive) == true
    }

    private func snapshot() -> String? {
        guard let store = try? SessionStore.open(layout: layout) else { return nil }
        defer { store.close() }
        guard let document = try? ReportBuilder(store: store, layout: layout).build(session: session),
            let json = try? ReportPage.json(document)
        else { return nil }
        return String(decoding: json, as: UTF8.self)
    }
}

/// Reads the complete lines appended to a file since the last read (a torn last line waits).
struct LineTail {
    let path: String
    private var offset: UInt64 = 0
    private var partial = Data()
    /// True when the file does not exist (yet).
    private(set) var isMissing = true

    init(path: String) { self.path = path }

    mutating func readNewLines() -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            isMissing = true
            return []
        }
        isMissing = false
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: offset)
            let data = try handle.readToEnd() ?? Data()
            offset += UInt64(data.count)
            partial.append(data)
        } catch {
            return []
        }
        guard let last = partial.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        let complete = partial[partial.startIndex..<last]
        partial = Data(partial[(last + 1)...])
        return complete.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// An `AsyncStream` of data chunks as the byte sequence FlyingFox streams (chunked) to a client.
struct ByteChunks: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8
    let stream: AsyncStream<Data>

    func makeAsyncIterator() -> Iterator { Iterator(base: stream.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var base: AsyncStream<Data>.Iterator
        var pending: [UInt8] = []

        mutating func next() async -> UInt8? {
            guard await fill() else { return nil }
            return pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            guard await fill() else { return nil }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }

        private mutating func fill() async -> Bool {
            while pending.isEmpty {
                guard let data = await base.next() else { return false }
                pending = Array(data)
            }
            return true
        }
    }
}
