import Foundation
import MGTestSupport
import Testing

/// Attachments through the built `mg`: inspected, previewed, copied into the session, recorded
/// for `mg log`, and sent to a Chat Completions agent (a loopback server) as content parts.
@Suite struct MediaEndToEndTests {
    /// A PNG and a WAV made by ffmpeg in a scratch folder outside the repository.
    struct Media {
        let directory: String
        var png: String { directory + "/screenshot.png" }
        var wav: String { directory + "/note.wav" }
        var after: String { directory + "/after.png" }

        init() throws {
            directory = NSTemporaryDirectory() + "mg-media-e2e-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x48:rate=1", "-frames:v", "1", png])
            try Self.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=0.3", wav])
            try Self.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=32x24:rate=1", "-frames:v", "1", after])
        }

        static func ffmpeg(_ arguments: [String]) throws {
            let run = try ProcessRunner.run(
                "/usr/bin/env", ["ffmpeg", "-nostdin", "-v", "error", "-y"] + arguments, in: "/",
                environment: ProcessInfo.processInfo.environment)
            try #require(run.status == 0, "ffmpeg failed: \(run.stderr)")
        }

        func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }
    }

    /// A streamed Chat Completions reply with plain text (the agent then stops without an answer).
    static func chatReply() -> ScriptedHTTPResponse {
        let chunk =
            #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"I see the screenshot."},"finish_reason":null}]}"#
        let stop =
            #"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#
        return .sse([SSEFrame(data: chunk), SSEFrame(data: stop), SSEFrame(data: "[DONE]")])
    }

    static let selfVote =
        #"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "tests pass"}}]}"#

    /// A scripted agent that fixes the bug and votes for itself, and a Chat Completions agent on `server`.
    static func fixerAndViewer(_ server: LoopbackHTTPServer) throws -> FixFixture {
        let fixture = try FixFixture(agents: [
            ("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add(): use +."), Self.selfVote])
        ])
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            orchestrator:
              ballot_seed: \(FixFixture.positionalBallotSeed)
            agents:
              - id: fixer
                backend: {type: scripted, script: fixer.json, model: scripted}
              - id: viewer
                backend: {type: vllm, model: vision-model, base_url: "\(server.baseURL)/v1"}

            """)
        return fixture
    }

    @Test func imageAndAudioReachTheAgentAreStoredAndLogged() throws {
        let media = try Media()
        defer { try? FileManager.default.removeItem(atPath: media.directory) }
        let server = try LoopbackHTTPServer { _ in Self.chatReply() }
        defer { server.stop() }
        let fixture = try Self.fixerAndViewer(server)
        let run = try fixture.mg([
            "fix", "the chart is wrong", "--image", media.png, "--audio", media.wav, "--test", "sh test.sh",
        ])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        // Previewed as text (stdout is a pipe): no escape codes.
        #expect(run.stdout.contains("📎 image screenshot.png — image/png, 64×48"))
        #expect(run.stdout.contains("📎 audio note.wav — audio/wav"))
        #expect(!run.stdout.contains("\u{1B}"))

        // The agent's first request carried the PNG as an image_url data URI and the WAV as input_audio.
        let body = try #require(server.requests.first(where: { $0.method == "POST" })?.bodyJSON as? [String: Any])
        let messages = try #require(body["messages"] as? [[String: Any]])
        let user = try #require(messages.first { $0["role"] as? String == "user" })
        let parts = try #require(user["content"] as? [[String: Any]])
        let image = try #require(parts.first { $0["type"] as? String == "image_url" })
        let url = try #require((image["image_url"] as? [String: Any])?["url"] as? String)
        let prefix = "data:image/png;base64,"
        #expect(url.hasPrefix(prefix))
        #expect(Data(base64Encoded: String(url.dropFirst(prefix.count))) == (try media.bytes(media.png)))
        let audio = try #require(parts.first { $0["type"] as? String == "input_audio" })
        let input = try #require(audio["input_audio"] as? [String: Any])
        #expect(input["format"] as? String == "wav")
        #expect(Data(base64Encoded: input["data"] as? String ?? "") == (try media.bytes(media.wav)))

        // One copy per content hash in the session's media folder, listed by `mg log`.
        let sessions = fixture.path + "/.massgen/sessions"
        let session = try #require(
            try FileManager.default.contentsOfDirectory(atPath: sessions).first {
                FileManager.default.fileExists(atPath: sessions + "/" + $0 + "/media")
            })
        let pngSHA = try sha256(media.png)
        let stored = "\(sessions)/\(session)/media/\(pngSHA).png"
        #expect(try media.bytes(stored) == (try media.bytes(media.png)))
        let log = try fixture.mg(["log"])
        #expect(log.status == 0, "\(log.stderr)")
        #expect(log.stdout.contains("image/png .massgen/sessions/\(session)/media/\(pngSHA).png"))
        #expect(
            log.stdout.contains("audio/wav .massgen/sessions/\(session)/media/\(try sha256(media.wav)).wav"))
        // `--json` carries them too, per turn.
        let json = try fixture.mg(["log", "--json"])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let firstTurn = try #require((record["turns"] as? [[String: Any]])?.first)
        let attached = try #require(firstTurn["attachments"] as? [[String: Any]])
        #expect(attached.map { $0["mime"] as? String } == ["image/png", "audio/wav"])
        #expect(attached.first?["path"] as? String == ".massgen/sessions/\(session)/media/\(pngSHA).png")
        #expect(attached.first?["sha256"] as? String == pngSHA)

        // A later turn re-sends the earlier attachments (from the session copies) with its own.
        let before = server.requests.count
        let next = try fixture.mg([
            "continue", "now the legend", "--image", media.after, "--test", "sh test.sh",
        ])
        #expect(next.status != 65, "\(next.stderr)")
        let request = try #require(server.requests.dropFirst(before).first(where: { $0.method == "POST" })?.bodyJSON as? [String: Any])
        let turnTwo = try #require(
            (request["messages"] as? [[String: Any]])?.first { $0["role"] as? String == "user" }?["content"]
                as? [[String: Any]])
        let images = turnTwo.compactMap { ($0["image_url"] as? [String: Any])?["url"] as? String }
            .compactMap { Data(base64Encoded: String($0.dropFirst(prefix.count))) }
        #expect(images == [try media.bytes(media.png), try media.bytes(media.after)])
        #expect(turnTwo.contains { $0["type"] as? String == "input_audio" })
        let text = turnTwo.compactMap { $0["text"] as? String }.joined()
        #expect(text.contains("Attached: .massgen/sessions/\(session)/media/\(pngSHA).png (image/png)"))
    }

    @Test func chatAttachGoesWithTheNextTaskOnly() throws {
        let media = try Media()
        defer { try? FileManager.default.removeItem(atPath: media.directory) }
        let server = try LoopbackHTTPServer { _ in Self.chatReply() }
        defer { server.stop() }
        let fixture = try Self.fixerAndViewer(server)
        // A bad path is refused on the spot and not kept; the good one goes with the next task.
        let input = "/attach \(media.directory)/missing.png\n/attach \(media.png)\nthe chart is wrong\n/quit\n"
        let command = "'\(DemoEndToEndTests.mgPath)' chat -q --test 'sh test.sh'"
        let run = try ProcessRunner.run(
            "/usr/bin/script", ["-qfec", command, "/dev/null"], in: fixture.path,
            environment: FixFixture.environment, input: Data(input.utf8))
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("error: Cannot attach \(media.directory)/missing.png"))
        #expect(run.stdout.contains("📎 image screenshot.png — image/png, 64×48"))
        #expect(run.stdout.contains("bytes — attached to the next task"))
        #expect(run.stdout.contains("success, winner fixer"))
        #expect(!run.stdout.contains("fixer: testing"), "-q keeps the session's event lines out of the chat")

        let body = try #require(server.requests.first(where: { $0.method == "POST" })?.bodyJSON as? [String: Any])
        let user = try #require(
            (body["messages"] as? [[String: Any]])?.first { $0["role"] as? String == "user" }?["content"]
                as? [[String: Any]])
        let images = user.compactMap { ($0["image_url"] as? [String: Any])?["url"] as? String }
        #expect(images == ["data:image/png;base64," + (try media.bytes(media.png)).base64EncodedString()])
        let log = try fixture.mg(["log"])
        #expect(log.stdout.contains("turn 1: image/png .massgen/sessions/"), "\(log.stdout)")
        #expect(!log.stdout.contains("missing.png"))
    }

    @Test func oversizedAndCorruptFilesExit65BeforeAnySession() throws {
        let media = try Media()
        defer { try? FileManager.default.removeItem(atPath: media.directory) }
        let fixture = try FixFixture(agents: [("fixer", [FixFixture.correctFix])])
        try fixture.repository.write(
            ".massgen/config.yaml",
            """
            agents:
              - id: fixer
                backend: {type: scripted, script: fixer.json, model: scripted, media_max_file_size_mb: 0.001}

            """)
        let big = try fixture.mg(["fix", "look", "--audio", media.wav])
        #expect(big.status == 65, "\(big.stderr)")
        #expect(
            big.stderr.contains("Cannot attach \(media.wav)")
                && big.stderr.contains("media_max_file_size_mb = 0.001"))

        let broken = media.directory + "/broken.png"
        try (try media.bytes(media.png)).prefix(60).write(to: URL(fileURLWithPath: broken))
        let corrupt = try fixture.mg(["fix", "look", "--image", broken])
        #expect(corrupt.status == 65, "\(corrupt.stderr)")
        #expect(
            corrupt.stderr.contains("Cannot attach \(broken)")
                && corrupt.stderr.contains("damaged or truncated"))
        // Nothing started: no agent branches, no session folders.
        #expect(try fixture.agentBranches().isEmpty)
        let sessions =
            (try? FileManager.default.contentsOfDirectory(atPath: fixture.path + "/.massgen/sessions")) ?? []
        #expect(sessions.allSatisfy { !$0.hasPrefix("20") })
    }

    func sha256(_ path: String) throws -> String {
        let run = try ProcessRunner.run(
            "/usr/bin/env", ["sha256sum", path], in: "/", environment: ProcessInfo.processInfo.environment)
        return String(run.stdout.prefix(64))
    }
}
