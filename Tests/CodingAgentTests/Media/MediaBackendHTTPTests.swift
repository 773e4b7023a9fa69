import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Media attached to a turn, prepared for each provider and sent over real HTTP to a scripted
/// loopback server: what each request carried is decoded from the body and compared with the
/// files (or checked to be a valid JPEG frame / MP3 track), and every fallback is stated in text.
@Suite struct MediaBackendHTTPTests {
    let limits = TransferLimits(
        totalDeadline: .seconds(30), idleTimeout: .seconds(10), connectTimeout: .seconds(5))

    func profile(_ dialect: ProviderDialect) -> ProviderMediaProfile {
        switch dialect {
        case .chat: .openAIChat()
        case .responses: .openAIResponses()
        case .anthropic: .anthropic()
        case .gemini: .gemini()
        }
    }

    /// Sends one user message through a `MediaPreparingBackend`; returns what the server read.
    func send(
        _ dialect: ProviderDialect, _ parts: [ContentPart], profile: ProviderMediaProfile? = nil,
        cache: String
    ) async throws -> [SentMediaItem] {
        let server = try LoopbackHTTPServer { _ in .sse(dialect.frames(text: ["seen"])) }
        defer { server.stop() }
        let base = dialect.backend(
            server: server, key: "sk-media", retry: RetryPolicy(maxAttempts: 1), limits: limits)
        let backend = MediaPreparingBackend(
            base: base, profile: profile ?? self.profile(dialect),
            preparer: MediaPreparer(cacheDirectory: cache))
        let result = await collect(
            backend.stream(ModelRequest(model: dialect.model, messages: [Message(role: .user, parts: parts)]))
        )
        #expect(result.error == nil)
        #expect(joinedText(result.chunks) == "seen")
        let body = try #require(server.requests.first?.bodyJSON as? [String: Any])
        return SentMediaItem.items(body, dialect)
    }

    func attach(_ path: String) async throws -> ContentPart {
        try await MediaInspector().inspect(path).contentPart
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test(arguments: ProviderDialect.allCases)
    func imageAudioAndVideoReachEachProviderInItsForm(_ dialect: ProviderDialect) async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let parts = [
            .text("Fix what these show."), try await attach(media.png), try await attach(media.flac),
            try await attach(media.mp4),
        ]
        let items = try await send(dialect, parts, cache: cache)
        let texts = items.compactMap(\.text).joined(separator: "\n")
        let payloads = items.compactMap(\.bytes)
        #expect(texts.contains("Fix what these show."))
        // The PNG goes as it is, byte for byte, everywhere.
        #expect(payloads.first == (try bytes(media.png)))

        switch dialect {
        case .gemini:
            // Everything inline and unchanged: PNG, FLAC, MP4.
            #expect(items.compactMap(\.kind) == ["inline_data", "inline_data", "inline_data"])
            #expect(payloads == [try bytes(media.png), try bytes(media.flac), try bytes(media.mp4)])
            #expect(
                items.contains(.media(kind: "inline_data", type: "video/mp4", bytes: try bytes(media.mp4))))
        case .chat:
            // FLAC transcoded to MP3 for input_audio; the video as JPEG frames plus its MP3 track.
            #expect(texts.contains("\"voice.flac\"") && texts.contains("transcoded to MP3"))
            let audio = items.filter { $0.kind == "input_audio" }
            #expect(audio.count == 2)
            for item in audio {
                guard case .media(_, let format, let data) = item else { continue }
                #expect(format == "mp3" && data.isMP3)
            }
            let frames = items.filter { $0.kind == "image_url" }.dropFirst().compactMap(\.bytes)
            #expect(frames.count == 2 && frames.allSatisfy(\.isJPEG))
            #expect(texts.contains("\"clip.mp4\"") && texts.contains("does not accept video"))
            #expect(
                texts.contains("2 frames sampled at 0.") && texts.contains("its audio track as MP3"),
                "\(texts)")
        case .responses, .anthropic:
            // No audio input: stated in text for the FLAC and for the video's sound; frames as images.
            let imageKind = dialect == .responses ? "input_image" : "image"
            #expect(texts.contains("\"voice.flac\"") && texts.contains("is not visible to you"))
            let frames = items.filter { $0.kind == imageKind }.dropFirst().compactMap(\.bytes)
            #expect(frames.count == 2 && frames.allSatisfy(\.isJPEG))
            #expect(texts.contains("\"clip.mp4\"") && texts.contains("does not accept video"))
            #expect(texts.contains("its sound is not included"))
            #expect(items.allSatisfy { $0.kind != "input_audio" })
        }
    }

    @Test func wavAndMp3GoToOpenAIChatUnchanged() async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let items = try await send(
            .chat, [try await attach(media.wav), try await attach(media.mp3)], cache: cache)
        #expect(
            items == [
                .media(kind: "input_audio", type: "wav", bytes: try bytes(media.wav)),
                .media(kind: "input_audio", type: "mp3", bytes: try bytes(media.mp3)),
            ])
    }

    @Test func wideImageIsDownscaledForAnthropicAndSaysSo() async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let items = try await send(
            .anthropic, [try await attach(media.widePNG), try await attach(media.bmp)], cache: cache)
        let images = items.compactMap(\.bytes)
        #expect(images.count == 2)
        let size = try #require(images.first?.pngSize)
        #expect(size == (1568, 196))
        #expect(images.last?.pngSize.map { $0 == (64, 48) } == true, "BMP converted to PNG for Anthropic")
        let texts = items.compactMap(\.text).joined(separator: "\n")
        #expect(texts.contains("\"wide.png\"") && texts.contains("longest edge is over 1568 px"))
        #expect(texts.contains("\"legacy.bmp\"") && texts.contains("does not take image/bmp"))
    }

    @Test func videoOverGeminisInlineLimitIsSampledInstead() async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        var small = ProviderMediaProfile.gemini()
        small.inlineBudgetBytes = 40_000  // below the clip's base64 size, above its frames and track
        let items = try await send(.gemini, [try await attach(media.mp4)], profile: small, cache: cache)
        let inline = items.compactMap { item -> (String?, Data)? in
            if case .media(_, let type, let data) = item { (type, data) } else { nil }
        }
        #expect(inline.map(\.0) == ["image/jpeg", "image/jpeg", "audio/mpeg"])
        #expect(inline.dropLast().allSatisfy { $0.1.isJPEG } && inline.last?.1.isMP3 == true)
        let texts = items.compactMap(\.text).joined(separator: "\n")
        #expect(texts.contains("\"clip.mp4\"") && texts.contains("inline media limit"))
    }

    @Test func pdfIsADocumentForAnthropicAndURLsPassThroughWhereAccepted() async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let remote = MediaReference(
            path: "https://example.com/screen.png", mimeType: "image/png", byteCount: 0, sha256: "")
        let parts = [try await attach(media.pdf), ContentPart.image(remote)]
        let anthropic = try await send(.anthropic, parts, cache: cache)
        #expect(
            anthropic == [
                .media(kind: "document", type: "application/pdf", bytes: try bytes(media.pdf)),
                .url(kind: "image", url: "https://example.com/screen.png"),
            ])
        let chat = try await send(.chat, [.image(remote), .audio(remote)], cache: cache)
        #expect(chat.first == .url(kind: "image_url", url: "https://example.com/screen.png"))
        #expect(chat.last?.text?.contains("takes only images by URL") == true)
        let gemini = try await send(.gemini, [.image(remote)], cache: cache)
        #expect(gemini.first?.text?.contains("File API") == true)
    }

    @Test func conversionsAreCachedByContentHash() async throws {
        let media = try await MediaFixtures.get()
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let video = try await MediaInspector().inspect(media.mp4)
        let preparer = MediaPreparer(cacheDirectory: cache)
        let messages = [Message(role: .user, parts: [video.contentPart])]
        let first = await preparer.prepare(messages, for: .anthropic())
        let folder = cache + "/" + video.reference.sha256
        let built = try FileManager.default.contentsOfDirectory(atPath: folder)
        let stamp =
            try FileManager.default.attributesOfItem(atPath: folder + "/" + built[0])[.modificationDate]
            as? Date
        // Two agents preparing the same video at once reuse the one conversion.
        async let second = preparer.prepare(messages, for: .anthropic())
        async let third = preparer.prepare(messages, for: .anthropic())
        #expect(await second == first)
        #expect(await third == first)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == built)
        #expect(
            try FileManager.default.attributesOfItem(atPath: folder + "/" + built[0])[.modificationDate]
                as? Date == stamp)
    }

    @Test func aDeletedHistoryFileBecomesANoticeNotASilentDrop() async throws {
        let cache = try MediaFixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let gone = MediaReference(
            path: cache + "/gone.png", mimeType: "image/png", byteCount: 10, sha256: "00")
        let items = try await send(.chat, [.text("again"), .image(gone)], cache: cache)
        #expect(items.last?.text?.contains("\"gone.png\"") == true)
        #expect(items.last?.text?.contains("no longer available") == true)
    }
}
