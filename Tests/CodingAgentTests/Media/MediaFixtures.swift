import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Small real media made by ffmpeg once per test run (`testsrc`, `sine`), plus damaged copies.
struct MediaFixtures: Sendable {
    /// The files are generated once and shared by every media test (read-only). A task, not a
    /// lazily built value, so tests waiting for it suspend instead of blocking the cooperative
    /// threads other suites need.
    static let creation = Task { () throws(FixtureError) -> MediaFixtures in try await MediaFixtures.make() }

    /// Generation failure, with ffmpeg's message.
    struct FixtureError: Error, CustomStringConvertible {
        var description: String
    }

    let directory: String
    var png: String { directory + "/shot.png" }
    /// 2400×300: wider than every provider's image limit.
    var widePNG: String { directory + "/wide.png" }
    var jpeg: String { directory + "/photo.jpg" }
    var bmp: String { directory + "/legacy.bmp" }
    var wav: String { directory + "/voice.wav" }
    var mp3: String { directory + "/voice.mp3" }
    var flac: String { directory + "/voice.flac" }
    /// 3 s, 320×240 H.264 with AAC audio.
    var mp4: String { directory + "/clip.mp4" }
    /// A PNG under a misleading name.
    var disguisedPNG: String { directory + "/notes.txt" }
    var truncatedMP4: String { directory + "/cut.mp4" }
    var truncatedPNG: String { directory + "/cut.png" }
    var garbageWithPNGMagic: String { directory + "/garbage.png" }
    var pdf: String { directory + "/doc.pdf" }
    var truncatedPDF: String { directory + "/cut.pdf" }

    static func get() async throws -> MediaFixtures { try await creation.value }

    private init(directory: String) {
        self.directory = directory
    }

    private static func make() async throws(FixtureError) -> MediaFixtures {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("mg-media-fixtures-\(UUID().uuidString)").path
        let media = MediaFixtures(directory: folder)
        try await media.generate()
        return media
    }

    private func generate() async throws(FixtureError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch { throw FixtureError(description: "\(error)") }
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1", png])
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=2400x300:rate=1", "-frames:v", "1", widePNG])
        try await ffmpeg([
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=1", "-frames:v", "1", "-q:v", "3", jpeg,
        ])
        try await ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=1", "-frames:v", "1", bmp])
        try await ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=1", wav])
        try await ffmpeg([
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=1", "-c:a", "libmp3lame", mp3,
        ])
        try await ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000:duration=1", flac])
        try await ffmpeg([
            "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10", "-f", "lavfi", "-i",
            "sine=frequency=330:sample_rate=16000",
            "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "10", "-c:a", "aac", mp4,
        ])
        do {
            try FileManager.default.copyItem(atPath: png, toPath: disguisedPNG)
            let video = try Data(contentsOf: URL(fileURLWithPath: mp4))
            try video.prefix(video.count / 2).write(to: URL(fileURLWithPath: truncatedMP4))
            let wide = try Data(contentsOf: URL(fileURLWithPath: widePNG))
            try wide.prefix(wide.count / 2).write(to: URL(fileURLWithPath: truncatedPNG))
            var garbage = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            var random = SeededRandom(seed: 7)
            for _ in 0..<4096 { garbage.append(UInt8.random(in: 0...255, using: &random)) }
            try garbage.write(to: URL(fileURLWithPath: garbageWithPNGMagic))
            let document = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            try Data(document.utf8).write(to: URL(fileURLWithPath: pdf))
            try Data(document.utf8.prefix(40)).write(to: URL(fileURLWithPath: truncatedPDF))
        } catch { throw FixtureError(description: "\(error)") }
    }

    private func ffmpeg(_ arguments: [String]) async throws(FixtureError) {
        let output: MediaProcessRunner.Output
        do {
            output = try await MediaProcessRunner().run(
                "ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments, timeout: .seconds(120),
                subject: "fixture")
        } catch { throw FixtureError(description: "cannot run ffmpeg: \(error)") }
        if output.status != 0 {
            throw FixtureError(
                description: "ffmpeg \(arguments.joined(separator: " ")): \(output.standardErrorTail)")
        }
    }

    /// A fresh empty folder (for caches and session stores).
    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mg-media-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
