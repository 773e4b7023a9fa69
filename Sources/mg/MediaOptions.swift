import ArgumentParser
import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// `--image`, `--audio`, `--video`, `--file` (each repeatable), shared by `mg fix` and `mg continue`.
///
/// The flag only says what the user meant: the type is read from the content.
struct MediaOptions: ParsableArguments {
    @Option(
        name: .customLong("image"), help: "Attach an image (PNG, JPEG, GIF, WebP, …) to the task; repeatable."
    )
    var images: [String] = []

    @Option(name: .customLong("audio"), help: "Attach an audio file (WAV, MP3, FLAC, …); repeatable.")
    var audio: [String] = []

    @Option(name: .customLong("video"), help: "Attach a video (MP4, MOV, WebM, …); repeatable.")
    var videos: [String] = []

    @Option(name: .customLong("file"), help: "Attach a document (PDF); repeatable.")
    var files: [String] = []

    /// Every path, grouped by flag in the order given.
    var paths: [String] { images + audio + videos + files }
}

/// The CLI side of attachments: inspects the files (a bad one stops the command with the
/// `MediaError`'s exit status, 65 for bad input) and previews each one.
enum AttachmentIntake {
    /// Inspects `paths`, then the local and URL entries of `uploads`, and previews them on `console`.
    static func collect(
        paths: [String], uploads: [UploadFile], limits: MediaLimits, repositoryRoot: String, console: Console
    ) async throws -> TurnAttachments {
        guard !paths.isEmpty || !uploads.isEmpty else { return .none }
        let attachments = try await TurnAttachments.inspect(
            paths: paths, uploads: uploads, inspector: MediaInspector(limits: limits))
        await preview(attachments, repositoryRoot: repositoryRoot, console: console)
        return attachments
    }

    /// One summary line per attachment; on a kitty or iTerm2 terminal also the image itself.
    /// Never escape codes when stdout is not a terminal, or under `--json` (stdout is JSON then).
    static func preview(_ attachments: TurnAttachments, repositoryRoot: String, console: Console) async {
        guard !console.quiet else { return }
        let terminal = !console.json && isatty(STDOUT_FILENO) == 1
        let imageProtocol = TerminalImageProtocol.detect(
            environment: Startup.environment, isTerminal: terminal)
        let cache = MediaLibrary.cacheDirectory(layout: ProjectLayout(repositoryRoot: repositoryRoot))
        let preview = MediaPreview(
            imageProtocol: imageProtocol, preparer: MediaPreparer(cacheDirectory: cache))
        for attachment in attachments.local {
            if imageProtocol == nil {
                console.info("📎 " + MediaPreview.summary(attachment))
            } else {
                await preview.render(attachment) { LiveViewSink.write(String(decoding: $0, as: UTF8.self), to: STDOUT_FILENO) }
            }
        }
        for part in attachments.remote {
            guard let media = part.media else { continue }
            console.info(
                "📎 \(media.kind.rawValue) \(media.reference.path) — \(media.reference.mimeType), by URL")
        }
    }
}
