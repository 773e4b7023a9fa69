import Foundation

/// Recognises media files by their magic bytes (never by extension: a model may name a PNG
/// `notes.txt`, and providers reject a MIME type that does not match the bytes).
public enum MediaSniffer {
    /// What a file's leading bytes say it is.
    public struct Detection: Sendable, Hashable {
        /// The detected MIME type, e.g. `image/png`.
        public var mimeType: String
        /// The message part kind the media goes into.
        public var kind: MediaKind
    }

    /// Detects the type from the first bytes of a file (16 bytes suffice; pass a few KB).
    public static func detect(_ head: Data) -> Detection? {
        let bytes = [UInt8](head.prefix(64))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<(offset + prefix.count)]) == prefix
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }

        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return Detection(mimeType: "image/png", kind: .image) }
        if starts([0xFF, 0xD8, 0xFF]) { return Detection(mimeType: "image/jpeg", kind: .image) }
        if ascii("GIF87a") || ascii("GIF89a") { return Detection(mimeType: "image/gif", kind: .image) }
        if ascii("RIFF"), ascii("WEBP", at: 8) { return Detection(mimeType: "image/webp", kind: .image) }
        if ascii("RIFF"), ascii("WAVE", at: 8) { return Detection(mimeType: "audio/wav", kind: .audio) }
        if ascii("RIFF"), ascii("AVI ", at: 8) { return Detection(mimeType: "video/x-msvideo", kind: .video) }
        if ascii("BM"), bytes.count >= 26, bytes[6..<10].allSatisfy({ $0 == 0 }), [12, 40, 52, 56, 64, 108, 124].contains(bytes[14]) {
            return Detection(mimeType: "image/bmp", kind: .image)
        }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) {
            return Detection(mimeType: "image/tiff", kind: .image)
        }
        if ascii("ftyp", at: 4) { return isoMedia(brand: String(decoding: bytes.dropFirst(8).prefix(4), as: UTF8.self)) }
        if starts([0x1A, 0x45, 0xDF, 0xA3]) {
            // Matroska and WebM share the EBML header; the DocType string tells them apart.
            let isWebM = String(decoding: head.prefix(64), as: UTF8.self).contains("webm")
            return Detection(mimeType: isWebM ? "video/webm" : "video/x-matroska", kind: .video)
        }
        if ascii("ID3") { return Detection(mimeType: "audio/mpeg", kind: .audio) }
        if bytes.count >= 2, bytes[0] == 0xFF, (bytes[1] & 0xE0) == 0xE0, (bytes[1] & 0x06) != 0 {
            // MPEG audio frame sync with a layer set: 0xFFF (ADTS AAC has layer bits 00).
            return Detection(mimeType: "audio/mpeg", kind: .audio)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, (bytes[1] & 0xF6) == 0xF0 { return Detection(mimeType: "audio/aac", kind: .audio) }
        if ascii("fLaC") { return Detection(mimeType: "audio/flac", kind: .audio) }
        if ascii("OggS") { return Detection(mimeType: "audio/ogg", kind: .audio) }
        if ascii("%PDF-") { return Detection(mimeType: "application/pdf", kind: .file) }
        return nil
    }

    /// ISO base media files (MP4, MOV, M4A, HEIC, 3GP) by their major brand.
    private static func isoMedia(brand: String) -> Detection {
        switch brand {
        case "qt  ": return Detection(mimeType: "video/quicktime", kind: .video)
        case "M4A ", "M4B ": return Detection(mimeType: "audio/mp4", kind: .audio)
        case "heic", "heix", "mif1": return Detection(mimeType: "image/heic", kind: .image)
        case "avif": return Detection(mimeType: "image/avif", kind: .image)
        case let brand where brand.hasPrefix("3g"): return Detection(mimeType: "video/3gpp", kind: .video)
        default: return Detection(mimeType: "video/mp4", kind: .video)
        }
    }

    /// Detects the file's type and hashes it (streaming) into a `MediaReference`.
    public static func reference(forFileAt path: String) throws -> (MediaReference, MediaKind)? {
        guard let head = FileInspection.head(of: path, count: 64), let detection = detect(head) else { return nil }
        let (digest, count) = try StreamingSHA256.hashFile(at: path)
        let reference = MediaReference(path: path, mimeType: detection.mimeType, byteCount: count, sha256: digest)
        return (reference, detection.kind)
    }
}
