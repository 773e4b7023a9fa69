import Foundation
import Testing

@testable import CodingAgent

/// Terminal previews: the summary line, protocol detection, and the framing of the kitty and
/// iTerm2 escape sequences (decoded back to the file's bytes).
@Suite struct MediaPreviewTests {
    /// Everything written, as one buffer, plus the number of writes.
    final class Sink: @unchecked Sendable {
        var data = Data()
        var writes = 0
        func write(_ chunk: Data) {
            data.append(chunk)
            writes += 1
        }
    }

    @Test func detectionFollowsTheEnvironmentAndNeverTargetsAPipe() {
        #expect(
            TerminalImageProtocol.detect(environment: ["KITTY_WINDOW_ID": "1"], isTerminal: true) == .kitty)
        #expect(
            TerminalImageProtocol.detect(environment: ["TERM": "xterm-kitty"], isTerminal: true) == .kitty)
        #expect(
            TerminalImageProtocol.detect(environment: ["TERM_PROGRAM": "iTerm.app"], isTerminal: true)
                == .iTerm2)
        #expect(
            TerminalImageProtocol.detect(environment: ["TERM_PROGRAM": "WezTerm"], isTerminal: true)
                == .iTerm2)
        #expect(
            TerminalImageProtocol.detect(environment: ["TERM": "xterm-256color"], isTerminal: true) == nil)
        #expect(TerminalImageProtocol.detect(environment: ["KITTY_WINDOW_ID": "1"], isTerminal: false) == nil)
        #expect(
            TerminalImageProtocol.detect(environment: ["TERM_PROGRAM": "iTerm.app"], isTerminal: false) == nil
        )
    }

    @Test func kittyChunksFollowTheSpec() async throws {
        let media = try await MediaFixtures.get()
        let original = try Data(contentsOf: URL(fileURLWithPath: media.widePNG))
        #expect(original.count > 3 * 3072, "the fixture must need several chunks")
        let sink = Sink()
        try TerminalImageProtocol.kitty.writeImage(
            path: media.widePNG, displayName: "wide.png", write: sink.write)
        var text = String(decoding: sink.data, as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        text.removeLast()
        let chunks = text.components(separatedBy: "\u{1B}\\").dropLast()
        #expect(chunks.count == (original.count + 3071) / 3072)
        var payload = ""
        for (index, chunk) in chunks.enumerated() {
            #expect(chunk.hasPrefix("\u{1B}_G"))
            let body = chunk.dropFirst(3)
            let parts = body.split(separator: ";", maxSplits: 1)
            let keys = String(parts[0])
            let data = parts.count > 1 ? String(parts[1]) : ""
            let last = index == chunks.count - 1
            #expect(keys == (index == 0 ? "a=T,f=100,q=2,m=1" : last ? "m=0" : "m=1"))
            #expect(data.utf8.count <= 4096)
            if !last { #expect(data.utf8.count == 4096) }
            payload += data
        }
        #expect(Data(base64Encoded: payload) == original)
        #expect(sink.writes == chunks.count + 1, "streamed chunk by chunk")
    }

    @Test func iTerm2SequenceCarriesNameSizeAndTheWholeFile() async throws {
        let media = try await MediaFixtures.get()
        let original = try Data(contentsOf: URL(fileURLWithPath: media.jpeg))
        let sink = Sink()
        try TerminalImageProtocol.iTerm2.writeImage(
            path: media.jpeg, displayName: "photo.jpg", write: sink.write)
        let text = String(decoding: sink.data, as: UTF8.self)
        let name = Data("photo.jpg".utf8).base64EncodedString()
        let head = "\u{1B}]1337;File=name=\(name);size=\(original.count);inline=1;preserveAspectRatio=1:"
        #expect(text.hasPrefix(head))
        #expect(text.hasSuffix("\u{07}\n"))
        let payload = text.dropFirst(head.count).dropLast(2)
        #expect(Data(base64Encoded: String(payload)) == original)
    }

    @Test func summaryNamesKindSizeAndDimensionsOrDuration() async throws {
        let media = try await MediaFixtures.get()
        let png = try await MediaInspector().inspect(media.png)
        #expect(
            MediaPreview.summary(png)
                == "image shot.png — image/png, 320×240, \(MediaPreview.byteText(png.reference.byteCount))")
        let video = try await MediaInspector().inspect(media.mp4)
        let line = MediaPreview.summary(video)
        #expect(
            line.hasPrefix("video clip.mp4 — video/mp4, 3.0 s, 320×240, h264 + aac, ")
                && line.hasSuffix(" KB"))
        let wav = try await MediaInspector().inspect(media.wav)
        #expect(
            MediaPreview.summary(wav).hasPrefix("audio voice.wav — audio/wav, 1.0 s, pcm_s16le, 16000 Hz, "))
    }

    @Test func renderShowsTextOnlyWithoutAProtocolAndAPNGThumbnailOnKitty() async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let jpeg = try await MediaInspector().inspect(media.jpeg)
        let plain = Sink()
        await MediaPreview(imageProtocol: nil).render(jpeg, write: plain.write)
        #expect(String(decoding: plain.data, as: UTF8.self) == "📎 " + MediaPreview.summary(jpeg) + "\n")
        let kitty = Sink()
        await MediaPreview(imageProtocol: .kitty, preparer: MediaPreparer(cacheDirectory: cache)).render(
            jpeg, write: kitty.write)
        let text = String(decoding: kitty.data, as: UTF8.self)
        let payload = text.components(separatedBy: "\u{1B}\\").dropLast().map {
            $0.split(separator: ";", maxSplits: 1).last.map(String.init) ?? ""
        }
        .joined()
        // kitty's f=100 is PNG only: the JPEG is shown through a PNG thumbnail.
        #expect(Data(base64Encoded: payload)?.pngSize.map { $0 == (320, 240) } == true)
    }
}
