import Foundation
import Testing

@testable import CodingAgent

@Suite struct SSEParserTests {
    /// Parses `text` fed as one chunk.
    private func parseWhole(_ bytes: [UInt8]) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.feed(Data(bytes))
    }

    /// Parses `bytes` fed in pieces cut at `cuts` (offsets).
    private func parse(_ bytes: [UInt8], cutAt cuts: [Int]) -> [SSEEvent] {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        var start = 0
        for cut in cuts.sorted() + [bytes.count] where cut >= start {
            events += parser.feed(Data(bytes[start..<cut]))
            start = cut
        }
        return events
    }

    private func parseByteByByte(_ bytes: [UInt8]) -> [SSEEvent] {
        parse(bytes, cutAt: Array(0..<bytes.count))
    }

    @Test func parsesFieldsOfOneEvent() {
        let events = parseWhole(Array("event: delta\nid: 7\ndata: {\"a\":1}\n\n".utf8))
        #expect(events == [SSEEvent(event: "delta", data: #"{"a":1}"#, id: "7")])
    }

    @Test func joinsMultiLineDataWithNewlines() {
        // The spec's stock-ticker example.
        let events = parseWhole(Array("data: YHOO\ndata: +2\ndata: 10\n\n".utf8))
        #expect(events.map(\.data) == ["YHOO\n+2\n10"])
    }

    @Test func followsTheSpecExamplesForEmptyData() {
        // "data" without a colon is an empty data line; two of them give "\n".
        let events = parseWhole(Array("data\n\ndata\ndata\n\ndata:\n".utf8))
        #expect(events.map(\.data) == ["", "\n"])
    }

    @Test func stripsExactlyOneSpaceAfterTheColon() {
        let events = parseWhole(Array("data:test\n\ndata: test\n\ndata:  test\n\n".utf8))
        #expect(events.map(\.data) == ["test", "test", " test"])
    }

    @Test func ignoresCommentsAndUnknownFields() {
        let events = parseWhole(Array(": keep-alive\nfoo: bar\ndata: x\n:another\n\n: ping\n\n".utf8))
        #expect(events == [SSEEvent(data: "x")])
    }

    @Test func doesNotDispatchEventsWithoutData() {
        let events = parseWhole(Array("event: ping\n\nid: 3\n\ndata: y\n\n".utf8))
        // The id persists as the last event ID; the event type was reset by the empty dispatch.
        #expect(events == [SSEEvent(event: nil, data: "y", id: "3")])
    }

    @Test func acceptsCRAndCRLFAndLFLineEndings() {
        let mixed = Array("data: a\rdata: b\r\ndata: c\n\r\nevent: e\r\rdata: d\n\n".utf8)
        #expect(parseWhole(mixed) == [SSEEvent(data: "a\nb\nc"), SSEEvent(data: "d")])
    }

    @Test func countsACRLFSplitAcrossChunksOnce() {
        let bytes = Array("data: a\r\ndata: b\r\n\r\n".utf8)
        let cutAfterFirstCR = bytes.firstIndex(of: 13).map { $0 + 1 } ?? 0
        let events = parse(bytes, cutAt: [cutAfterFirstCR])
        #expect(events == [SSEEvent(data: "a\nb")])
        // The dispatching blank line's CRLF split too.
        #expect(parse(bytes, cutAt: [bytes.count - 1]) == [SSEEvent(data: "a\nb")])
    }

    @Test func skipsALeadingByteOrderMarkEvenWhenSplit() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8)
        #expect(parseWhole(bytes) == [SSEEvent(data: "x")])
        #expect(parse(bytes, cutAt: [1, 2]) == [SSEEvent(data: "x")])
        // Only the very first BOM is special: a later one makes an unknown field name.
        let twice: [UInt8] = [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("data: x\n\ndata: y\n\n".utf8)
        #expect(parseWhole(twice) == [SSEEvent(data: "y")])
    }

    @Test func keepsAShortStreamThatOnlyLooksLikeABOMStart() {
        let bytes: [UInt8] = [0xEF] + Array("data: x\n\n".utf8)
        // 0xEF alone is not a BOM: it becomes part of an unknown field name.
        var parser = SSEParser()
        #expect(parser.feed(Data([0xEF])).isEmpty)
        #expect(parser.feed(Data(bytes.dropFirst())).isEmpty)
        #expect(parser.feed(Data("data: z\n\n".utf8)) == [SSEEvent(data: "z")])
    }

    @Test func reassemblesMultiByteCharactersSplitAcrossChunks() {
        let bytes = Array("data: héllo → 世界 🎉\n\n".utf8)
        #expect(parseByteByByte(bytes) == [SSEEvent(data: "héllo → 世界 🎉")])
    }

    @Test func tracksRetryAndLastEventID() {
        var parser = SSEParser()
        let events = parser.feed(Data("retry: 1500\nid: a\ndata: 1\n\nretry: soon\nid: b\u{0}c\ndata: 2\n\n".utf8))
        #expect(parser.reconnectionTime == 1500)
        #expect(events == [SSEEvent(data: "1", id: "a"), SSEEvent(data: "2", id: "a")])
        #expect(parser.lastEventID == "a")
    }

    @Test func dropsAnUnfinishedEventAndReportsIt() {
        var parser = SSEParser()
        #expect(parser.feed(Data("data: done\n\ndata: cut off".utf8)) == [SSEEvent(data: "done")])
        #expect(parser.hasIncompleteEvent)
        var clean = SSEParser()
        _ = clean.feed(Data("data: done\n\n".utf8))
        #expect(!clean.hasIncompleteEvent)
    }

    @Test func recognisesTheDoneSentinel() {
        let events = parseWhole(Array("data: {\"x\":1}\n\ndata: [DONE]\n\n".utf8))
        #expect(events.map(\.isDone) == [false, true])
    }

    @Test func byteByByteAndRandomSplitsMatchWholeParsing() {
        var stream = "\u{FEFF}: comment\r\nretry: 10\r\n"
        for index in 0..<40 {
            let ending = ["\n", "\r\n", "\r"][index % 3]
            stream += "event: e\(index % 4)\(ending)id: \(index)\(ending)"
            stream += "data: {\"choices\":[{\"delta\":{\"content\":\"tok \(index) ü\"}}]}\(ending)"
            if index % 5 == 0 { stream += "data: second line\(ending): note\(ending)" }
            stream += ending
        }
        stream += "data: [DONE]\n\n"
        let bytes = Array(stream.utf8)
        let whole = parseWhole(bytes)
        #expect(whole.count == 41)
        #expect(parseByteByByte(bytes) == whole)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let cuts = (0..<Int.random(in: 1...30, using: &generator)).map { _ in
                Int.random(in: 0...bytes.count, using: &generator)
            }
            #expect(parse(bytes, cutAt: cuts) == whole)
        }
    }

    @Test func asyncSequenceAdaptsAByteStream() async throws {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        for piece in ["data: o", "ne\n", "\nda", "ta: two\r", "\n\r\n", "data: [DONE]\n\n"] {
            continuation.yield(Data(piece.utf8))
        }
        continuation.finish()
        var received: [String] = []
        for try await event in stream.sseEvents {
            received.append(event.data)
        }
        #expect(received == ["one", "two", "[DONE]"])
    }

    @Test func asyncSequenceRethrowsStreamErrors() async throws {
        struct Broken: Error {}
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.yield(Data("data: first\n\n".utf8))
        continuation.finish(throwing: Broken())
        var received: [String] = []
        await #expect(throws: Broken.self) {
            for try await event in stream.sseEvents { received.append(event.data) }
        }
        #expect(received == ["first"])
    }
}
