import Foundation
import Testing
@testable import CodingAgent

@Suite struct MediaToolTests {
    static let samples: [(String, [UInt8], String, MediaKind)] = [
        ("png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52], "image/png", .image),
        ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0], "image/jpeg", .image),
        ("gif", Array("GIF89a".utf8) + [1, 0, 1, 0], "image/gif", .image),
        ("webp", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), "image/webp", .image),
        ("wav", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8), "audio/wav", .audio),
        ("mp3-id3", Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 0], "audio/mpeg", .audio),
        ("mp3-frame", [0xFF, 0xFB, 0x90, 0x64, 0, 0], "audio/mpeg", .audio),
        ("mp4", [0, 0, 0, 0x20] + Array("ftypisom".utf8) + [0, 0, 2, 0], "video/mp4", .video),
        ("mov", [0, 0, 0, 0x14] + Array("ftypqt  ".utf8) + [0, 0, 0, 0], "video/quicktime", .video),
        ("m4a", [0, 0, 0, 0x20] + Array("ftypM4A ".utf8) + [0, 0, 0, 0], "audio/mp4", .audio),
        ("webm", [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84] + Array("webm".utf8), "video/webm", .video),
        ("pdf", Array("%PDF-1.7\n".utf8), "application/pdf", .file),
        ("flac", Array("fLaC".utf8) + [0, 0, 0, 34], "audio/flac", .audio),
        ("ogg", Array("OggS".utf8) + [0, 2], "audio/ogg", .audio),
    ]

    @Test(arguments: samples)
    func detectsTypeFromMagicBytes(_ name: String, _ bytes: [UInt8], _ mime: String, _ kind: MediaKind) throws {
        let detection = try #require(MediaSniffer.detect(Data(bytes)), "\(name) not detected")
        #expect(detection.mimeType == mime)
        #expect(detection.kind == kind)
    }

    @Test func textIsNotMedia() {
        #expect(MediaSniffer.detect(Data("BM is not a bitmap header\n".utf8)) == nil)
        #expect(MediaSniffer.detect(Data("hello".utf8)) == nil)
    }

    @Test func sha256MatchesTheCoreutilsReference() throws {
        let ws = try TemporaryWorkspace()
        for size in [0, 1, 55, 56, 63, 64, 65, 1000, 1_100_000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try ws.writeBytes("f\(size).bin", bytes)
            let path = ws.url.appendingPathComponent("f\(size).bin").path
            let (digest, count) = try StreamingSHA256.hashFile(at: path)
            #expect(count == Int64(size))
            #expect(digest == (try Self.sha256sum(path)), "size \(size)")
        }
    }

    @Test func viewMediaReturnsAReferencePart() async throws {
        let ws = try TemporaryWorkspace()
        try ws.writeBytes("shots/screen.png", Self.samples[0].1 + Array(repeating: 7, count: 100))
        let outcome = try await ws.call(ViewMediaTool(), #"{"path": "shots/screen.png"}"#)
        #expect(!outcome.isError)
        guard case .image(let reference)? = outcome.media.first else {
            Issue.record("expected an image part, got \(outcome.media)")
            return
        }
        #expect(reference.mimeType == "image/png")
        #expect(reference.byteCount == 116)
        #expect(reference.path == ws.root.path + "/shots/screen.png")
        #expect(reference.sha256 == (try Self.sha256sum(reference.path)))
    }

    @Test func viewMediaRefusesTextUnknownAndOversizedFiles() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("notes.png", "just text\n")
        try ws.writeBytes("blob.bin", [0, 1, 2, 3, 4, 5])
        try ws.writeBytes("big.pdf", Array("%PDF-1.4\n".utf8) + Array(repeating: 0, count: 2000))
        let text = try await ws.call(ViewMediaTool(), #"{"path": "notes.png"}"#)
        #expect(text.isError && text.text.contains("read_file"))
        let unknown = try await ws.call(ViewMediaTool(), #"{"path": "blob.bin"}"#)
        #expect(unknown.isError && unknown.text.contains("not a recognised media file"))
        let big = try await ws.call(ViewMediaTool(maxBytes: 1000), #"{"path": "big.pdf"}"#)
        #expect(big.isError && big.text.contains("limit"))
    }

    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
