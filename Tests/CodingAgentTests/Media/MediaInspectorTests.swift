import Foundation
import Testing

@testable import CodingAgent

/// `MediaInspector` on real files made by ffmpeg: type from content, ffprobe metadata, SHA-256,
/// and clear refusals for damaged, unrecognised and oversized files.
@Suite struct MediaInspectorTests {
    let inspector = MediaInspector()

    @Test func imageTypeAndDimensionsComeFromTheContent() async throws {
        let media = try await MediaFixtures.get()
        let png = try await inspector.inspect(media.png)
        #expect(png.kind == .image)
        #expect(png.reference.mimeType == "image/png")
        #expect(png.metadata.width == 320 && png.metadata.height == 240)
        #expect(png.metadata.videoCodec == "png")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: media.png))
        #expect(png.reference.byteCount == Int64(bytes.count))
        // The extension is not trusted: a PNG named notes.txt is still a PNG with the same hash.
        let disguised = try await inspector.inspect(media.disguisedPNG)
        #expect(disguised.reference.mimeType == "image/png")
        #expect(disguised.reference.sha256 == png.reference.sha256)
        let jpeg = try await inspector.inspect(media.jpeg)
        #expect(jpeg.reference.mimeType == "image/jpeg" && jpeg.metadata.width == 320)
    }

    @Test func hashMatchesTheSha256sumTool() async throws {
        let media = try await MediaFixtures.get()
        let attachment = try await inspector.inspect(media.mp4)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [media.mp4]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.hasPrefix(attachment.reference.sha256 + " "))
    }

    @Test func audioAndVideoMetadata() async throws {
        let media = try await MediaFixtures.get()
        let wav = try await inspector.inspect(media.wav)
        #expect(wav.kind == .audio && wav.reference.mimeType == "audio/wav")
        #expect(wav.metadata.sampleRate == 16000 && wav.metadata.channels == 1)
        #expect(abs((wav.metadata.durationSeconds ?? 0) - 1) < 0.1)
        let mp3 = try await inspector.inspect(media.mp3)
        #expect(mp3.reference.mimeType == "audio/mpeg" && mp3.metadata.audioCodec == "mp3")
        let flac = try await inspector.inspect(media.flac)
        #expect(flac.reference.mimeType == "audio/flac")
        let mp4 = try await inspector.inspect(media.mp4)
        #expect(mp4.kind == .video && mp4.reference.mimeType == "video/mp4")
        #expect(mp4.metadata.videoCodec == "h264" && mp4.metadata.audioCodec == "aac")
        #expect(mp4.metadata.width == 320 && mp4.metadata.height == 240)
        #expect(abs((mp4.metadata.durationSeconds ?? 0) - 3) < 0.2)
        let pdf = try await inspector.inspect(media.pdf)
        #expect(pdf.kind == .file && pdf.reference.mimeType == "application/pdf")
    }

    @Test(arguments: ["truncatedMP4", "truncatedPNG", "garbageWithPNGMagic", "truncatedPDF"])
    func damagedFilesAreRefusedNamingTheFile(_ which: String) async throws {
        let media = try await MediaFixtures.get()
        let path =
            switch which {
            case "truncatedMP4": media.truncatedMP4
            case "truncatedPNG": media.truncatedPNG
            case "truncatedPDF": media.truncatedPDF
            default: media.garbageWithPNGMagic
            }
        do {
            _ = try await inspector.inspect(path)
            Issue.record("\(which) was accepted")
        } catch {
            guard case .corrupt(let named, let detail) = error else {
                Issue.record("expected corrupt, got \(error)")
                return
            }
            #expect(named == path && !detail.isEmpty)
            #expect(error.description.contains(path) && error.description.contains("damaged or truncated"))
            #expect(error.exitStatus == 65)
        }
    }

    @Test func unrecognisedAndMissingFiles() async throws {
        let directory = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = directory + "/readme.png"
        try Data("just text, not a picture".utf8).write(to: URL(fileURLWithPath: text))
        await #expect(throws: MediaError.unrecognized(path: text)) { try await inspector.inspect(text) }
        await #expect(throws: MediaError.unreadable(path: directory + "/nope.png", reason: "no such file")) {
            try await inspector.inspect(directory + "/nope.png")
        }
    }

    @Test func oversizedFileNamesTheFileAndTheLimit() async throws {
        let media = try await MediaFixtures.get()
        let small = MediaInspector(limits: MediaLimits(maxFileSizeMB: 0.01))  // ~10 KB
        do {
            _ = try await small.inspect(media.mp4)
            Issue.record("an oversized file was accepted")
        } catch {
            guard case .tooLarge(let path, let size, let limit, let setting) = error else {
                Issue.record("expected tooLarge, got \(error)")
                return
            }
            #expect(path == media.mp4 && size > limit && limit == 10485)
            #expect(setting == "media_max_file_size_mb = 0.01")
            #expect(
                error.description.contains(media.mp4) && error.description.contains("media_max_file_size_mb"))
            #expect(error.exitStatus == 65)
        }
        let perKind = MediaInspector(limits: MediaLimits(perKindBytes: [.audio: 1000]))
        await #expect(throws: MediaError.self) { try await perKind.inspect(media.wav) }
        _ = try await perKind.inspect(media.png)  // other kinds keep the overall limit
    }

    @Test func missingFfprobeNamesTheFfmpegPackage() async throws {
        let media = try await MediaFixtures.get()
        var runner = MediaProcessRunner(environment: ["PATH": "/nonexistent"])
        runner.searchPath = ["/nonexistent"]
        let inspector = MediaInspector(runner: runner)
        do {
            _ = try await inspector.inspect(media.png)
            Issue.record("inspection ran without ffprobe")
        } catch {
            #expect(error == .toolMissing(tool: "ffprobe", package: "ffmpeg"))
            #expect(error.description.contains("apt-get install ffmpeg"))
        }
    }

    @Test func hangingHelperIsStoppedAtTheDeadline() async throws {
        let media = try await MediaFixtures.get()
        // A stand-in ffprobe that never answers, as a pathological file can make the real one do.
        let bin = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try "#!/bin/sh\nexec sleep 120\n".write(toFile: bin + "/ffprobe", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/ffprobe")
        var runner = MediaProcessRunner()
        runner.searchPath = [bin]
        let inspector = MediaInspector(runner: runner, probeTimeout: .milliseconds(300))
        let started = ContinuousClock.now
        await #expect(throws: MediaError.timedOut(tool: "ffprobe", path: media.wav, seconds: 0.3)) {
            try await inspector.inspect(media.wav)
        }
        // The stand-in sleeps 120 s; finishing well before proves it was stopped (bound generous for loaded CI).
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
