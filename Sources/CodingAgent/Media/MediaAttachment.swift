import Foundation

/// A media file checked and described, ready to be attached to a message.
///
/// Built by `MediaInspector.inspect(_:)`: the type comes from the content, the metadata from
/// ffprobe, the hash from a streaming SHA-256. The bytes stay in the file.
public struct MediaAttachment: Sendable, Hashable, Codable {
    /// Image, audio, video or file (PDF).
    public var kind: MediaKind
    /// Path, MIME type, size and SHA-256 of the file.
    public var reference: MediaReference
    /// Dimensions, duration, codecs; empty for PDFs.
    public var metadata: MediaMetadata

    /// Creates an attachment.
    public init(kind: MediaKind, reference: MediaReference, metadata: MediaMetadata) {
        self.kind = kind
        self.reference = reference
        self.metadata = metadata
    }

    /// The message part carrying this attachment.
    public var contentPart: ContentPart {
        Self.part(kind, reference)
    }

    /// The message part of `kind` for `reference`.
    public static func part(_ kind: MediaKind, _ reference: MediaReference) -> ContentPart {
        switch kind {
        case .image: .image(reference)
        case .audio: .audio(reference)
        case .video: .video(reference)
        case .file: .file(reference)
        }
    }

    /// The file's base name.
    public var fileName: String { (reference.path as NSString).lastPathComponent }
}

extension ContentPart {
    /// The media reference and kind of a media part; `nil` for text and tool parts.
    public var media: (kind: MediaKind, reference: MediaReference)? {
        switch self {
        case .image(let reference): (.image, reference)
        case .audio(let reference): (.audio, reference)
        case .video(let reference): (.video, reference)
        case .file(let reference): (.file, reference)
        default: nil
        }
    }
}
