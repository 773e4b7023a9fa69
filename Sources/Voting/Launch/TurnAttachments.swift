import CodingAgent
import Foundation
import GitWorkspace

/// The media attached to one turn (`--image`/`--audio`/`--video`/`--file`, `/attach`,
/// `upload_files`): local files already inspected, plus URL parts passed through to providers.
///
/// Inspection happens before the session starts, so a bad file stops `mg fix` with exit 65
/// before anything is created. `store(in:)` then copies the local files into the session's
/// `MediaLibrary` and yields what the history records and what the agents receive.
public struct TurnAttachments: Sendable, Hashable {
    /// Local files, inspected (pointing at the user's originals until stored).
    public var local: [MediaAttachment]
    /// `upload_files` URL entries as message parts (`UploadFile.remotePart()`).
    public var remote: [ContentPart]

    /// Creates a set of attachments.
    public init(local: [MediaAttachment] = [], remote: [ContentPart] = []) {
        self.local = local
        self.remote = remote
    }

    /// No attachments.
    public static let none = TurnAttachments()

    /// Whether nothing is attached.
    public var isEmpty: Bool { local.isEmpty && remote.isEmpty }

    /// Inspects `paths` (in order), then the local `uploads`; URL uploads become remote parts.
    /// Throws the first file's `MediaError` (the CLI prints it and exits with its status).
    public static func inspect(
        paths: [String], uploads: [UploadFile] = [], inspector: MediaInspector
    ) async throws(MediaError) -> TurnAttachments {
        var result = TurnAttachments()
        result.local = try await inspector.inspectAll(paths + uploads.filter { !$0.isURL }.map(\.location))
        result.remote = uploads.compactMap { $0.remotePart() }
        return result
    }

    /// What `store(in:)` produced.
    public struct Stored: Sendable, Hashable {
        /// History records: session copies (repository-relative) and URLs, in order.
        public var references: [MediaReference]
        /// The parts every agent receives (local parts point at the session copies).
        public var parts: [ContentPart]
    }

    /// Copies the local files into `library` (once per content hash) and builds the records and parts.
    public func store(in library: MediaLibrary) throws(SessionStoreError) -> Stored {
        var stored = Stored(references: [], parts: [])
        for attachment in local {
            let copy = try library.store(attachment)
            stored.references.append(copy.reference)
            stored.parts.append(copy.attachment.contentPart)
        }
        for part in remote {
            guard let media = part.media else { continue }
            stored.references.append(
                MediaReference(path: media.reference.path, sha256: "", mime: media.reference.mimeType))
            stored.parts.append(part)
        }
        return stored
    }

    /// The parts that re-send earlier turns' attachments (`mg continue`): session copies are
    /// read back from the library, URLs passed through again, and a file that is gone becomes a
    /// text part saying so (never a silent drop).
    public static func earlierParts(_ entries: [ConversationEntry], library: MediaLibrary) -> [ContentPart] {
        var parts: [ContentPart] = []
        for entry in entries where entry.role == .user {
            for reference in entry.media {
                let lower = reference.path.lowercased()
                if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
                    let kind = MediaLibrary.kind(forMIME: reference.mime)
                    parts.append(
                        MediaAttachment.part(
                            kind,
                            CodingAgent.MediaReference(
                                path: reference.path, mimeType: reference.mime, byteCount: 0, sha256: "")))
                } else if let part = library.contentPart(for: reference) {
                    parts.append(part)
                } else {
                    parts.append(
                        .text(
                            "[A \(reference.mime) file attached in turn \(entry.turn) (\(reference.path)) is no "
                                + "longer in the session folder, so it cannot be shown again.]"))
                }
            }
        }
        return parts
    }
}
