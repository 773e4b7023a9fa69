import Foundation

/// Shows an attachment in the terminal: a one-line summary everywhere (kind, name, type, size,
/// dimensions or duration), and the picture itself on kitty and iTerm2-compatible terminals.
public struct MediaPreview: Sendable {
    /// The terminal's image protocol, `nil` for text only.
    public var imageProtocol: TerminalImageProtocol?
    /// Makes PNG thumbnails for kitty (which shows only PNG) through the media cache.
    public var preparer: MediaPreparer

    /// Creates a preview for a terminal.
    public init(imageProtocol: TerminalImageProtocol?, preparer: MediaPreparer = MediaPreparer()) {
        self.imageProtocol = imageProtocol
        self.preparer = preparer
    }

    /// `image shot.png — image/png, 320×240, 12.4 KB` / `video clip.mp4 — video/mp4, 3.0 s, …`.
    public static func summary(_ attachment: MediaAttachment) -> String {
        let metadata = attachment.metadata
        var pieces = [attachment.reference.mimeType]
        if attachment.kind != .image, let duration = metadata.durationSeconds {
            pieces.append(String(format: "%.1f s", duration))
        }
        if let width = metadata.width, let height = metadata.height, attachment.kind != .audio {
            pieces.append("\(width)×\(height)")
        }
        if attachment.kind != .image {
            let codecs = [metadata.videoCodec, metadata.audioCodec].compactMap { $0 }
            if !codecs.isEmpty { pieces.append(codecs.joined(separator: " + ")) }
        }
        if let rate = metadata.sampleRate { pieces.append("\(rate) Hz") }
        pieces.append(byteText(attachment.reference.byteCount))
        return "\(attachment.kind.rawValue) \(attachment.fileName) — " + pieces.joined(separator: ", ")
    }

    /// Writes the summary line, then the inline image when the terminal shows images.
    public func render(_ attachment: MediaAttachment, write: (Data) -> Void) async {
        write(Data(("📎 " + Self.summary(attachment) + "\n").utf8))
        guard let imageProtocol, attachment.kind == .image else { return }
        var source = attachment.reference
        if !imageProtocol.displays(source.mimeType) || source.byteCount > 8 * 1_048_576 {
            let thumbnail = ProviderMediaProfile(
                providerName: "the terminal", imageTypes: ["image/png"], maxImageEdge: 800,
                maxImageBytes: 8 * 1_048_576, audio: .none, acceptsVideo: false)
            guard
                let converted = try? await preparer.prepareImage(source, thumbnail).compactMap(\.media).first
            else { return }
            source = converted.reference
        }
        try? imageProtocol.writeImage(path: source.path, displayName: attachment.fileName, write: write)
    }

    static func byteText(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) bytes" }
        if bytes < 1_048_576 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
