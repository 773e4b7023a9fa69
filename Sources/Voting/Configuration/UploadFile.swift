import CodingAgent
import Foundation

/// One entry of MassGen's `upload_files` (in an agent's `backend:` section): a local file or an
/// http(s) URL to attach to the task.
///
/// MassGen keys map onto mg's attachment kinds: `image_path` → image, `audio_path` → audio,
/// `video_path` → video, `file_path` → file (PDF; any kind detected from content). For local
/// files the kind is only a hint: `MediaInspector` detects the real type from the content. URLs
/// are passed through to providers that fetch URLs themselves (see docs/multimodal.md).
public struct UploadFile: Sendable, Hashable {
    /// The kind the entry's key names.
    public var kind: MediaKind
    /// The path (relative paths resolve against the directory mg runs in, as in MassGen) or URL.
    public var location: String
    /// The MassGen key it was given under, for messages (`image_path`, …).
    public var key: String

    /// Creates an entry.
    public init(kind: MediaKind, location: String, key: String) {
        self.kind = kind
        self.location = location
        self.key = key
    }

    /// Whether the location is an http(s) URL rather than a local path.
    public var isURL: Bool {
        let lower = location.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The MassGen key for each kind.
    public static let keys: [String: MediaKind] = [
        "image_path": .image, "audio_path": .audio, "video_path": .video, "file_path": .file,
    ]

    /// A message part for a URL entry: the MIME type is guessed from the URL's extension (the
    /// content cannot be sniffed without downloading it); size and hash are unknown (0 and "").
    public func remotePart() -> ContentPart? {
        guard isURL else { return nil }
        let ext = (URL(string: location)?.pathExtension ?? "").lowercased()
        let mime = Self.mimeByExtension[ext] ?? Self.fallbackMIME[kind] ?? "application/octet-stream"
        return MediaAttachment.part(
            kind, CodingAgent.MediaReference(path: location, mimeType: mime, byteCount: 0, sha256: ""))
    }

    static let mimeByExtension: [String: String] = [
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp",
        "wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg", "m4a": "audio/mp4",
        "mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm", "pdf": "application/pdf",
    ]

    static let fallbackMIME: [MediaKind: String] = [
        .image: "image/jpeg", .audio: "audio/mpeg", .video: "video/mp4", .file: "application/pdf",
    ]
}

extension MassGenConfigurationParser {
    /// Reads `upload_files`: a list of one-key mappings (`- image_path: shot.png`), or bare strings.
    func readUploadFiles(_ value: YAMLValue) throws(ConfigurationError) -> [UploadFile] {
        var files: [UploadFile] = []
        for item in try value.items() {
            if case .scalar = item.node {
                let location = try item.string()
                files.append(UploadFile(kind: .file, location: location, key: "file_path"))
                continue
            }
            for (key, entry) in try item.entries() {
                guard let kind = UploadFile.keys[key] else {
                    throw entry.invalid("one of image_path, audio_path, video_path or file_path")
                }
                let location = try entry.string()
                guard !location.isEmpty else { throw entry.invalid("a file path or an http(s) URL") }
                files.append(UploadFile(kind: kind, location: location, key: key))
            }
        }
        return files
    }
}
