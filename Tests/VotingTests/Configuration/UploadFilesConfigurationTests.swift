import CodingAgent
import Foundation
import Testing
import Voting

/// MassGen `upload_files` entries read from a configuration and exposed for the CLI to attach.
@Suite struct UploadFilesConfigurationTests {
    func parse(_ yaml: String) throws -> ResolvedConfiguration {
        try ConfigurationLoader.parse(
            yaml: yaml, file: "test.yaml", source: .explicit("test.yaml"), workingDirectory: "/work/project",
            environment: ["OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "sk-ant"])
    }

    @Test func massGenKeysMapOntoAttachmentKinds() throws {
        let configuration = try parse(
            """
            agents:
              - id: a
                backend:
                  type: openai
                  model: gpt-5-nano
                  media_max_file_size_mb: 16
                  upload_files:
                    - image_path: massgen/configs/resources/multimodality.jpg
                    - audio_path: note.wav
                    - video_path: https://example.com/repro.mp4
                    - file_path: spec.pdf
              - id: b
                backend:
                  type: claude
                  model: claude-sonnet-4-20250514
                  upload_files:
                    - image_path: massgen/configs/resources/multimodality.jpg
            """)
        #expect(configuration.warnings.isEmpty)
        let files = configuration.uploadFiles
        #expect(files.map(\.kind) == [.image, .audio, .video, .file])
        #expect(files.map(\.key) == ["image_path", "audio_path", "video_path", "file_path"])
        #expect(files[0].location == "massgen/configs/resources/multimodality.jpg" && !files[0].isURL)
        #expect(files[2].isURL)
        #expect(configuration.agents[1].uploadFiles.count == 1)
        #expect(configuration.mediaLimits.maxFileSizeMB == 16)
        guard case .video(let remote)? = files[2].remotePart() else {
            Issue.record("a URL entry should become a video part")
            return
        }
        #expect(remote.path == "https://example.com/repro.mp4" && remote.mimeType == "video/mp4")
        #expect(files[0].remotePart() == nil)
    }

    @Test func unknownEntryKeyIsAnErrorNamingThePath() throws {
        do {
            _ = try parse(
                """
                agent:
                  backend:
                    model: gpt-5
                    upload_files:
                      - picture: a.png
                """)
            Issue.record("an unknown upload_files key was accepted")
        } catch {
            let text = String(describing: error)
            #expect(
                text.contains("upload_files")
                    && text.contains("image_path, audio_path, video_path or file_path"))
        }
    }

    @Test func defaultMediaLimitIsMassGens() throws {
        let configuration = try parse("agent:\n  backend:\n    model: gpt-5\n")
        #expect(configuration.uploadFiles.isEmpty)
        #expect(configuration.mediaLimits.maxFileSizeMB == 64)
    }
}
