import Foundation

/// An incremental Server-Sent Events parser following the WHATWG event-stream rules
/// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
///
/// Feed it bytes as they arrive, in chunks of any size; it returns the events each chunk
/// completes. Lines may end in CR, LF or CRLF (a CRLF split across two chunks counts once), a
/// leading byte-order mark is skipped, `:` lines are comments, `data:` lines of one event are
/// joined with "\n", and a blank line dispatches the event unless it carried no data.
/// Parsing works on bytes and decodes UTF-8 only when an event is dispatched, so a multi-byte
/// character split across chunks arrives intact.
///
/// `[DONE]` is ordinary data to this parser; see `SSEEvent.isDone`.
public struct SSEParser: Sendable {
    /// Bytes of a line whose end has not arrived yet.
    private var partialLine: [UInt8] = []
    /// The previous chunk ended with CR: an LF starting the next chunk belongs to that line end.
    private var skipLeadingLineFeed = false
    /// Bytes seen before deciding whether the stream starts with a BOM (at most 2 are held).
    private var streamStart: [UInt8]? = []
    private var dataBuffer: [UInt8] = []
    private var eventType: [UInt8] = []
    private var sawDataField = false

    /// The last `id:` value seen (the spec's "last event ID buffer"); it persists across events and
    /// is reported as each dispatched event's `id`.
    public private(set) var lastEventID: String?
    /// The last valid `retry:` value in milliseconds (the reconnection time the server asked for).
    public private(set) var reconnectionTime: Int?

    /// A parser at the start of a stream.
    public init() {}

    /// True when fields of an event arrived but its terminating blank line did not: at the end of a
    /// stream, this means the stream was cut off mid-event (the spec discards such an event).
    public var hasIncompleteEvent: Bool {
        sawDataField || !eventType.isEmpty || !partialLine.isEmpty
    }

    /// Parses the next chunk of the stream and returns the events it completed, in order.
    public mutating func feed(_ chunk: Data) -> [SSEEvent] {
        chunk.withUnsafeBytes { feed(UnsafeRawBufferPointer($0)) }
    }

    /// Parses the next chunk of the stream from raw memory and returns the events it completed.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [SSEEvent] {
        var events: [SSEEvent] = []
        if var held = streamStart {
            // Hold the first bytes until a BOM (EF BB BF) can be recognised or ruled out.
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            let taken = min(3 - held.count, chunk.count)
            held.append(contentsOf: chunk.prefix(taken))
            if held.count < 3, bom.starts(with: held) {
                streamStart = held
                return []
            }
            streamStart = nil
            if held.starts(with: bom) { held.removeFirst(3) }
            held.withUnsafeBytes { scan($0, into: &events) }
            scan(UnsafeRawBufferPointer(rebasing: chunk[taken...]), into: &events)
            return events
        }
        scan(chunk, into: &events)
        return events
    }

    /// Splits `bytes` into lines, carrying an unfinished line over to the next call.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer, into events: inout [SSEEvent]) {
        var index = 0
        let count = bytes.count
        if skipLeadingLineFeed, count > 0 {
            skipLeadingLineFeed = false
            if bytes[0] == 0x0A { index = 1 }
        }
        var lineStart = index
        guard let base = bytes.baseAddress else { return }
        while index < count {
            // memchr finds the next LF with SIMD; a CR (rare in practice) before it ends the line sooner.
            let remaining = count - index
            let lineFeed = memchr(base + index, 0x0A, remaining).map { $0 - UnsafeMutableRawPointer(mutating: base) }
            let searchEnd = lineFeed ?? count
            let carriageReturn = memchr(base + index, 0x0D, searchEnd - index).map {
                $0 - UnsafeMutableRawPointer(mutating: base)
            }
            guard let end = carriageReturn ?? lineFeed else { break }
            if partialLine.isEmpty {
                processLine(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<end]), into: &events)
            } else {
                partialLine.append(contentsOf: bytes[lineStart..<end])
                let line = partialLine
                partialLine.removeAll(keepingCapacity: true)
                line.withUnsafeBytes { processLine($0, into: &events) }
            }
            index = end + 1
            if bytes[end] == 0x0D {
                if index < count {
                    if bytes[index] == 0x0A { index += 1 }
                } else {
                    skipLeadingLineFeed = true
                }
            }
            lineStart = index
        }
        if lineStart < count {
            partialLine.append(contentsOf: bytes[lineStart..<count])
        }
    }

    private mutating func processLine(_ line: UnsafeRawBufferPointer, into events: inout [SSEEvent]) {
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == UInt8(ascii: ":") { return }
        var nameEnd = line.count
        var valueStart = line.count
        if let start = line.baseAddress, let found = memchr(start, Int32(UInt8(ascii: ":")), line.count) {
            let colon = UnsafeRawPointer(found) - start
            nameEnd = colon
            valueStart = colon + 1
            if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if Self.matches(name, "data") {
            dataBuffer.append(contentsOf: value)
            dataBuffer.append(0x0A)
            sawDataField = true
        } else if Self.matches(name, "event") {
            eventType = Array(value)
        } else if Self.matches(name, "id") {
            // An id containing NUL is ignored, as the spec says.
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if Self.matches(name, "retry") {
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                reconnectionTime = Int(String(decoding: value, as: UTF8.self))
            }
        }
        // Other field names are ignored.
    }

    private mutating func dispatch(into events: inout [SSEEvent]) {
        defer {
            dataBuffer.removeAll(keepingCapacity: true)
            eventType.removeAll(keepingCapacity: true)
            sawDataField = false
        }
        guard sawDataField else { return }
        dataBuffer.removeLast()  // the LF after the last data line
        let type = eventType.isEmpty ? nil : String(decoding: eventType, as: UTF8.self)
        events.append(SSEEvent(event: type, data: String(decoding: dataBuffer, as: UTF8.self), id: lastEventID))
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { bytes.elementsEqual($0) }
    }
}

extension SSEEvent {
    /// True for the `data: [DONE]` sentinel with which OpenAI-style streams end.
    public var isDone: Bool {
        data.trimmingCharacters(in: .whitespaces) == "[DONE]"
    }
}
