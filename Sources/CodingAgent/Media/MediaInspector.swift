import Foundation
import GitWorkspace

/// Checks a file before it is attached: type from content, size limits, metadata from ffprobe,
/// and a streaming SHA-256.
///
/// Damaged files are refused here, with a message naming the file, rather than sent to a provider
/// that would answer with an opaque 400. ffprobe and ffmpeg run under deadlines, so a pathological
/// file cannot hang `mg fix`.
public struct MediaInspector: Sendable {
    /// Size limits (MassGen's `media_max_file_size_mb`).
    public var limits: MediaLimits
    /// Runs ffprobe/ffmpeg.
    public var runner: MediaProcessRunner
    /// Deadline for each ffprobe (and image decode check) run.
    public var probeTimeout: Duration

    /// Creates an inspector.
    public init(
        limits: MediaLimits = MediaLimits(), runner: MediaProcessRunner = MediaProcessRunner(),
        probeTimeout: Duration = .seconds(30)
    ) {
        self.limits = limits
        self.runner = runner
        self.probeTimeout = probeTimeout
    }

    /// Inspects the file at `path` (relative paths resolve against the current directory).
    public func inspect(_ path: String) async throws(MediaError) -> MediaAttachment {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw .unreadable(path: path, reason: "no such file")
        }
        if isDirectory.boolValue {
            throw .unreadable(path: path, reason: "it is a directory, not a media file")
        }
        guard let head = FileInspection.head(of: absolute, count: 4096) else {
            throw .unreadable(
                path: path, reason: "the file cannot be opened for reading (check its permissions)")
        }
        guard let detection = MediaSniffer.detect(head) else { throw .unrecognized(path: path) }
        let size = FileInspection.attributes(absolute)?.size ?? Int64(head.count)
        try limits.check(path: path, kind: detection.kind, byteCount: size)

        let metadata = try await probe(absolute, display: path, detection: detection)
        let digest: String
        let byteCount: Int64
        do {
            // Seconds for a large video: off the cooperative pool.
            (digest, byteCount) = try await BlockingWork.run { try StreamingSHA256.hashFile(at: absolute) }
        } catch {
            throw .unreadable(path: path, reason: "reading it failed (\(error.localizedDescription))")
        }
        let reference = MediaReference(
            path: absolute, mimeType: detection.mimeType, byteCount: byteCount, sha256: digest)
        return MediaAttachment(kind: detection.kind, reference: reference, metadata: metadata)
    }

    /// Inspects several files, failing on the first bad one (the CLI reports it and exits 65).
    public func inspectAll(_ paths: [String]) async throws(MediaError) -> [MediaAttachment] {
        var attachments: [MediaAttachment] = []
        for path in paths { attachments.append(try await inspect(path)) }
        return attachments
    }

    func probe(
        _ absolute: String, display: String, detection: MediaSniffer.Detection
    ) async throws(MediaError) -> MediaMetadata {
        if detection.kind == .file {
            try checkPDFComplete(absolute, display: display)
            return MediaMetadata()
        }
        let output = try await runner.run(
            "ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", absolute],
            timeout: probeTimeout, subject: display)
        guard output.status == 0,
            let metadata = MediaMetadata(ffprobeJSON: String(decoding: output.standardOutput, as: UTF8.self))
        else {
            throw .corrupt(
                path: display,
                detail: Self.lastLine(output.standardErrorTail) ?? "ffprobe found no media stream")
        }
        switch detection.kind {
        case .image where metadata.width == nil || metadata.height == nil:
            throw .corrupt(path: display, detail: "no picture dimensions")
        case .audio where !metadata.hasAudio:
            throw .corrupt(path: display, detail: "no audio stream")
        case .video where !metadata.hasVideo && !metadata.hasAudio:
            throw .corrupt(path: display, detail: "no video or audio stream")
        case .image:
            // A truncated image still has a valid header; only decoding it shows the damage.
            try await checkImageDecodes(absolute, display: display)
        default:
            break
        }
        return metadata
    }

    func checkImageDecodes(_ absolute: String, display: String) async throws(MediaError) {
        let output = try await runner.run(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-xerror", "-i", absolute, "-frames:v", "1", "-f", "null", "-"],
            timeout: probeTimeout, subject: display)
        let problem = Self.lastLine(output.standardErrorTail)
        if output.status != 0 || problem != nil {
            throw .corrupt(path: display, detail: problem ?? "the picture does not decode")
        }
    }

    /// A complete PDF ends with `%%EOF` (allowing trailing whitespace); a cut-off download does not.
    func checkPDFComplete(_ absolute: String, display: String) throws(MediaError) {
        guard let handle = FileHandle(forReadingAtPath: absolute) else {
            throw .unreadable(path: display, reason: "the file cannot be opened for reading")
        }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: end > 2048 ? end - 2048 : 0)
        let tail = (try? handle.readToEnd()) ?? Data()
        if !String(decoding: tail, as: UTF8.self).contains("%%EOF") {
            throw .corrupt(path: display, detail: "the PDF has no end-of-file marker")
        }
    }

    /// The last non-empty line of ffmpeg's stderr, which names the problem, without the
    /// decoder's `[png @ 0x55d0…]` address prefix (noise to a user).
    static func lastLine(_ text: String) -> String? {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .last { !$0.isEmpty }
            .map { line in
                guard line.hasPrefix("["), let close = line.firstIndex(of: "]"), line[..<close].contains(" @ 0x")
                else { return line }
                let name = line[line.index(after: line.startIndex)..<close].split(separator: " ").first ?? ""
                return "\(name): " + line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
            }
    }
}
