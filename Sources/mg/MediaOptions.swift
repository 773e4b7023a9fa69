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

    @Option(
        name: .customLong("file"),
        help: "Attach a document: a PDF, or a plain-text file (sent as text with the task); repeatable.")
    var files: [String] = []

    /// Every path, grouped by flag in the order given.
    var paths: [String] { images + audio + videos + files }

    /// The largest plain-text `--file` sent inside the task.
    static let textLimit = 256 * 1024

    /// `task` with every plain-text `--file` appended (named, fenced), and the paths left for
    /// media inspection. Text is recognised by content: no media signature, valid UTF-8, no NUL.
    func withTextDocuments(_ task: String) throws(MediaError) -> (task: String, paths: [String]) {
        var task = task
        var documents: [String] = []
        for path in files {
            guard let text = try Self.plainText(at: path) else {
                documents.append(path)
                continue
            }
            let fence = text.contains("```") ? "~~~~" : "```"
            task += "\n\nAttached \(path):\n\(fence)\n\(text)\(text.hasSuffix("\n") ? "" : "\n")\(fence)"
        }
        return (task, images + audio + videos + documents)
    }

    /// The file's text when it is plain text, `nil` when it may be media (inspection decides).
    static func plainText(at path: String) throws(MediaError) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard MediaSniffer.detect(data.prefix(4096)) == nil, !data.contains(0),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        guard data.count <= textLimit else {
            throw .unreadable(
                path: path,
                reason: "it is plain text of \(data.count / 1024) KB, more than the \(textLimit / 1024) KB sent "
                    + "with the task; put it in the repository and name its path in the task instead")
        }
        return text
    }
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
