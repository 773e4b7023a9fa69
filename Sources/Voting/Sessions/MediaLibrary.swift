import CodingAgent
import Foundation
import GitWorkspace

/// A session's copies of its attachments: `.massgen/sessions/<session>/media/<sha256>.<ext>`.
///
/// An attachment is copied once (streamed in 1 MiB chunks and hashed on the way, so a file that
/// changed since it was inspected is caught), deduplicated by content hash, and recorded in the
/// conversation history by reference (`MediaReference` with a repository-relative path, SHA-256
/// and MIME type). Later turns (`mg continue`) and `mg log` read the copies even after the
/// original was moved or edited.
public struct MediaLibrary: Sendable, Hashable {
    /// The repository root paths are made relative to.
    public let repositoryRoot: String
    /// The session.
    public let session: String

    /// The library of `session` in `layout`.
    public init(layout: ProjectLayout, session: String) {
        self.repositoryRoot = layout.repositoryRoot
        self.session = session
    }

    /// `.massgen/sessions/<session>/media`, relative to the repository root.
    public var relativeDirectory: String { ".massgen/sessions/\(session)/media" }
    /// The absolute folder.
    public var directory: String { repositoryRoot + "/" + relativeDirectory }

    /// Where derived media (downscaled images, frames, audio tracks) are cached for a project:
    /// `.massgen/cache/media`, shared by sessions because it is keyed by content hash.
    public static func cacheDirectory(layout: ProjectLayout) -> String { layout.root + "/cache/media" }

    /// What `store(_:)` produced.
    public struct Stored: Sendable, Hashable {
        /// The history record (repository-relative path, SHA-256, MIME type).
        public var reference: MediaReference
        /// The attachment pointing at the stored copy, to send to the agents.
        public var attachment: MediaAttachment
        /// Whether this call copied the file (false: the same content was already stored).
        public var copied: Bool
    }

    /// Copies the attachment into the library unless the same content is there already.
    public func store(_ attachment: MediaAttachment) throws(SessionStoreError) -> Stored {
        let sha = attachment.reference.sha256
        let name = sha + "." + Self.fileExtension(forMIME: attachment.reference.mimeType)
        let target = directory + "/" + name
        var copied = false
        if !FileManager.default.fileExists(atPath: target) {
            try copyVerifying(from: attachment.reference.path, to: target, sha256: sha)
            copied = true
        }
        var stored = attachment
        stored.reference.path = target
        return Stored(
            reference: MediaReference(
                path: relativeDirectory + "/" + name, sha256: sha, mime: attachment.reference.mimeType),
            attachment: stored, copied: copied)
    }

    /// The message part for a history record, reading the stored copy; `nil` when the file is
    /// gone (the caller tells the model it was attached but is no longer available).
    public func contentPart(for reference: MediaReference) -> ContentPart? {
        let path = reference.path.hasPrefix("/") ? reference.path : repositoryRoot + "/" + reference.path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.int64Value
        else { return nil }
        let media = CodingAgent.MediaReference(
            path: path, mimeType: reference.mime, byteCount: size, sha256: reference.sha256)
        return MediaAttachment.part(Self.kind(forMIME: reference.mime), media)
    }

    /// Streams `source` into a scratch file beside `target`, checks the hash, then renames it
    /// into place (atomic: a crash never leaves a half copy under the final name).
    private func copyVerifying(from source: String, to target: String, sha256: String)
        throws(SessionStoreError)
    {
        let scratch = target + ".partial-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard let input = FileHandle(forReadingAtPath: source) else {
                throw SessionStoreError.io(path: source, reason: "cannot open the attachment for reading")
            }
            defer { try? input.close() }
            guard FileManager.default.createFile(atPath: scratch, contents: nil),
                let output = FileHandle(forWritingAtPath: scratch)
            else { throw SessionStoreError.io(path: scratch, reason: "cannot create the media copy") }
            var hasher = StreamingSHA256()
            do {
                defer { try? output.close() }
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                    hasher.update(chunk)
                    try output.write(contentsOf: chunk)
                }
                try output.synchronize()
            }
            let digest = hasher.finalize()
            guard digest == sha256 else {
                throw SessionStoreError.io(
                    path: source, reason: "the file changed while it was being attached (attach it again)")
            }
            try FileManager.default.moveItem(atPath: scratch, toPath: target)
        } catch let error as SessionStoreError {
            try? FileManager.default.removeItem(atPath: scratch)
            // Another process stored the same content first: that copy is as good as ours.
            if FileManager.default.fileExists(atPath: target) { return }
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            if FileManager.default.fileExists(atPath: target) { return }
            throw .io(path: target, reason: "copying the attachment failed: \(error.localizedDescription)")
        }
    }

    /// The extension a stored copy gets for its (content-detected) MIME type.
    public static func fileExtension(forMIME mime: String) -> String {
        let known: [String: String] = [
            "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
            "image/bmp": "bmp",
            "image/tiff": "tiff", "image/heic": "heic", "image/avif": "avif", "audio/wav": "wav",
            "audio/mpeg": "mp3",
            "audio/aac": "aac", "audio/flac": "flac", "audio/ogg": "ogg", "audio/mp4": "m4a",
            "video/mp4": "mp4",
            "video/quicktime": "mov", "video/3gpp": "3gp", "video/webm": "webm", "video/x-matroska": "mkv",
            "video/x-msvideo": "avi", "application/pdf": "pdf",
        ]
        return known[mime.lowercased()] ?? "bin"
    }

    /// The part kind for a MIME type.
    public static func kind(forMIME mime: String) -> MediaKind {
        let lower = mime.lowercased()
        if lower.hasPrefix("image/") { return .image }
        if lower.hasPrefix("audio/") { return .audio }
        if lower.hasPrefix("video/") { return .video }
        return .file
    }
}
