import CodingAgent
import Foundation
import MGTestSupport

/// The multimodal memory figure of issue 7: a 1 GB video attached to a 4-agent session and sent
/// by four backends at once to count-only loopback servers. Three agents get the video the way
/// their providers take it (sampled JPEG frames + MP3 track: OpenAI Chat, Responses, Anthropic);
/// the fourth is a Gemini backend with the inline cap lifted, so the whole 1 GB goes out as
/// base64 in its request body — the worst case for memory. mg's peak RSS is printed.
enum MediaBenchmarks {
    static let description = "peak RSS sending a 1 GB video through 4 backends at once (frames + full inline)"

    static func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mg-bench-media-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let video = try makeVideo(in: directory)
        let before = TransportBenchmarks.peakResidentMegabytes()

        let clock = ContinuousClock()
        var started = clock.now
        let inspector = MediaInspector(limits: MediaLimits(maxFileSizeMB: 2048))
        let attachment = try await inspector.inspect(video)
        print(
            String(
                format: "inspected %@ (%.0f MB, %@) in %.1f s", attachment.fileName,
                Double(attachment.reference.byteCount) / 1e6, MediaPreview.summary(attachment),
                seconds(clock.now - started)))

        let preparer = MediaPreparer(cacheDirectory: directory + "/cache")
        var fullInline = ProviderMediaProfile.gemini()
        fullInline.inlineBudgetBytes = nil
        let agents: [(String, Dialect, ProviderMediaProfile)] = [
            ("chat", .chat, .openAIChat()), ("responses", .responses, .openAIResponses()),
            ("anthropic", .anthropic, .anthropic()), ("gemini-inline", .gemini, fullInline),
        ]
        let servers = try agents.map { _, dialect, _ in
            try LoopbackHTTPServer(options: .init(storeBodies: false)) { _ in .sse(dialect.reply) }
        }
        defer { servers.forEach { $0.stop() } }
        started = clock.now
        let message = Message(
            role: .user, parts: [.text("What breaks in this screen recording?"), attachment.contentPart])
        let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, (name, dialect, profile)) in agents.enumerated() {
                let backend = MediaPreparingBackend(
                    base: dialect.backend(baseURL: servers[index].baseURL), profile: profile,
                    preparer: preparer)
                group.addTask {
                    var text = ""
                    for try await chunk in backend.stream(
                        ModelRequest(model: dialect.model, messages: [message]))
                    {
                        if case .textDelta(let piece) = chunk { text += piece }
                    }
                    return (index, "\(name): \(text)")
                }
            }
            var results: [(Int, String)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let elapsed = seconds(clock.now - started)
        for (index, (name, _, _)) in agents.enumerated() {
            let bytes = servers[index].requests.first?.bodyByteCount ?? 0
            print(String(format: "  %-14@ request body %10d bytes (%@)", name, bytes, texts[index]))
        }
        let inlineBytes = servers[3].requests.first?.bodyByteCount ?? 0
        let expected = (attachment.reference.byteCount + 2) / 3 * 4
        guard Int64(inlineBytes) > expected, servers.allSatisfy({ $0.requests.count == 1 }) else {
            throw BenchmarkFailure(
                "the inline request carried \(inlineBytes) bytes; expected more than \(expected)")
        }
        let peak = TransportBenchmarks.peakResidentMegabytes()
        print(String(format: "4 agents done in %.1f s", elapsed))
        print(
            String(
                format: "peak RSS (VmHWM): %.1f MB before, %.1f MB after (target <= 64 MB; MassGen ~2400 MB)",
                before, peak))
        try hashingThroughput(of: video)
    }

    /// SHA-256 throughput over the same file (what attaching costs besides ffprobe): the file is
    /// read in 1 MiB chunks as `MediaInspector` and the session media library read it; best of 3,
    /// so the page cache is warm and the figure is the hash rather than the disk.
    static func hashingThroughput(of path: String) throws {
        let clock = ContinuousClock()
        var best = Duration.seconds(3600)
        var bytes = 0
        var digest = ""
        for _ in 1...3 {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw BenchmarkFailure("cannot read \(path)") }
            defer { try? handle.close() }
            let started = clock.now
            var hasher = StreamingSHA256()
            bytes = 0
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(chunk)
                bytes += chunk.count
            }
            digest = hasher.finalize()
            best = min(best, clock.now - started)
        }
        print(
            String(
                format: "SHA-256 of %.0f MB: %.0f MB/s (best of 3, %.2f s; %@…)", Double(bytes) / 1e6,
                Double(bytes) / 1e6 / seconds(best), seconds(best), String(digest.prefix(12))))
    }

    /// A valid ~1 GB MP4 (MJPEG + AAC): a 10 s clip made by ffmpeg, then looped with `-c copy`
    /// (no re-encoding: seconds, not minutes).
    static func makeVideo(in directory: String) throws -> String {
        let ffmpeg = try MediaProcessRunner().locate("ffmpeg")
        let clip = directory + "/clip.mp4"
        let video = directory + "/recording.mp4"
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for arguments in [
            [
                "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100",
                "-t", "10", "-c:v", "mjpeg", "-q:v", "1", "-c:a", "aac", clip,
            ],
            ["-stream_loop", "93", "-i", clip, "-c", "copy", video],
        ] {
            let result = try ProcessRunner.run(
                ffmpeg, ["-nostdin", "-v", "error", "-y"] + arguments, in: directory, environment: environment
            )
            guard result.status == 0 else { throw BenchmarkFailure("ffmpeg failed: \(result.stderr)") }
        }
        return video
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The four wire formats, each with a one-line text reply in its streaming format.
    enum Dialect: Sendable {
        case chat, responses, anthropic, gemini

        var model: String {
            switch self {
            case .chat: "gpt-4o-mini"
            case .responses: "gpt-4.1-mini"
            case .anthropic: "claude-sonnet-4-20250514"
            case .gemini: "gemini-2.5-flash"
            }
        }

        func backend(baseURL: String) -> any ModelBackend {
            let transport = LibcurlTransport(environment: [:])
            let limits = TransferLimits(totalDeadline: .seconds(900), idleTimeout: .seconds(300))
            let retry = RetryPolicy(maxAttempts: 1)
            switch self {
            case .chat:
                return OpenAIChatBackend(
                    format: OpenAIChatFormat(
                        endpoint: ProviderEndpoint(baseURL: baseURL + "/v1", apiKey: "k")),
                    transport: transport, limits: limits, retry: retry, displayName: "chat")
            case .responses:
                return OpenAIResponsesBackend(
                    format: OpenAIResponsesFormat(
                        endpoint: ProviderEndpoint(baseURL: baseURL + "/v1", apiKey: "k")),
                    transport: transport, limits: limits, retry: retry, displayName: "responses")
            case .anthropic:
                return AnthropicBackend(
                    format: AnthropicFormat(
                        endpoint: ProviderEndpoint(baseURL: baseURL + "/v1", apiKey: "k")),
                    transport: transport, limits: limits, retry: retry, displayName: "anthropic")
            case .gemini:
                return GeminiBackend(
                    format: GeminiFormat(
                        endpoint: ProviderEndpoint(baseURL: baseURL + "/v1beta", apiKey: "k")),
                    transport: transport, limits: limits, retry: retry, displayName: "gemini")
            }
        }

        var reply: [SSEFrame] {
            switch self {
            case .chat:
                return [
                    SSEFrame(
                        data: #"{"choices":[{"index":0,"delta":{"content":"seen"},"finish_reason":null}]}"#),
                    SSEFrame(data: #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#),
                    SSEFrame(data: "[DONE]"),
                ]
            case .responses:
                return [
                    SSEFrame(
                        event: "response.output_text.delta",
                        data: #"{"type":"response.output_text.delta","output_index":0,"delta":"seen"}"#),
                    SSEFrame(
                        event: "response.completed",
                        data:
                            #"{"type":"response.completed","response":{"status":"completed","usage":{"input_tokens":1,"output_tokens":1}}}"#
                    ),
                ]
            case .anthropic:
                return [
                    SSEFrame(
                        event: "message_start",
                        data:
                            #"{"type":"message_start","message":{"id":"m","role":"assistant","content":[],"usage":{"input_tokens":1,"output_tokens":0}}}"#
                    ),
                    SSEFrame(
                        event: "content_block_start",
                        data:
                            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#
                    ),
                    SSEFrame(
                        event: "content_block_delta",
                        data:
                            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"seen"}}"#
                    ),
                    SSEFrame(event: "content_block_stop", data: #"{"type":"content_block_stop","index":0}"#),
                    SSEFrame(
                        event: "message_delta",
                        data:
                            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}"#
                    ),
                    SSEFrame(event: "message_stop", data: #"{"type":"message_stop"}"#),
                ]
            case .gemini:
                return [
                    SSEFrame(
                        data:
                            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"seen"}]},"finishReason":"STOP","index":0}]}"#
                    )
                ]
            }
        }
    }
}
