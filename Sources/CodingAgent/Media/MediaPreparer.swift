import Foundation

/// Fits media parts to what a provider accepts, through ffmpeg, before the request is encoded.
///
/// Images over the provider's size are downscaled, audio it cannot take is transcoded to MP3,
/// and video becomes sampled JPEG frames plus the audio track when the provider takes no video or
/// the file is over its inline limit. Derived files go to `cacheDirectory/<sha256>/<variant>/`
/// and are reused by content hash, so each turn (which resends the history) converts nothing
/// twice. Whatever changes, a text part says so; whatever cannot be sent becomes a text notice —
/// a part is never dropped silently. Bytes are never loaded: parts still reference files.
public struct MediaPreparer: Sendable {
    /// Where derived files are kept (`.massgen/cache/media` in a project).
    public var cacheDirectory: String
    /// Runs ffprobe/ffmpeg.
    public var runner: MediaProcessRunner
    /// Deadline for one ffmpeg conversion.
    public var conversionTimeout: Duration

    /// Creates a preparer; the cache defaults to a folder in the temporary directory.
    public init(
        cacheDirectory: String = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mg-media-cache"
        ).path,
        runner: MediaProcessRunner = MediaProcessRunner(), conversionTimeout: Duration = .seconds(300)
    ) {
        self.cacheDirectory = cacheDirectory
        self.runner = runner
        self.conversionTimeout = conversionTimeout
    }

    /// The conversation with every media part fitted to `profile`.
    public func prepare(_ messages: [Message], for profile: ProviderMediaProfile) async -> [Message] {
        var budget = profile.inlineBudgetBytes
        var result: [Message] = []
        for message in messages {
            guard message.role != .assistant, message.parts.contains(where: { $0.media != nil }) else {
                result.append(message)
                continue
            }
            var parts: [ContentPart] = []
            for part in message.parts {
                if let (kind, reference) = part.media {
                    parts += await prepare(kind, reference, for: profile, budget: &budget)
                } else {
                    parts.append(part)
                }
            }
            result.append(Message(role: message.role, parts: parts))
        }
        return result
    }

    /// The parts that stand for one media file on `profile`; `budget` is the inline bytes
    /// (base64) still free in the request, when the provider caps it.
    public func prepare(
        _ kind: MediaKind, _ reference: MediaReference, for profile: ProviderMediaProfile,
        budget: inout Int64?
    ) async -> [ContentPart] {
        let original = MediaAttachment.part(kind, reference)
        if MediaEncoding.remoteURL(reference) != nil { return [original] }
        guard FileManager.default.fileExists(atPath: reference.path) else {
            return [.text(note(kind, reference, "is no longer available at \(reference.path)"))]
        }
        do {
            let parts: [ContentPart]
            switch kind {
            case .image: parts = try await prepareImage(reference, profile)
            case .audio: parts = try await prepareAudio(reference, profile, budget: budget)
            case .video: parts = try await prepareVideo(reference, profile, budget: budget)
            case .file: parts = [original]
            }
            return charge(parts, kind: kind, reference: reference, profile: profile, budget: &budget)
        } catch {
            return [
                .text(note(kind, reference, "could not be prepared for \(profile.providerName): \(error)"))
            ]
        }
    }

    /// Deducts inline parts from the request budget; parts that no longer fit become notices.
    func charge(
        _ parts: [ContentPart], kind: MediaKind, reference: MediaReference, profile: ProviderMediaProfile,
        budget: inout Int64?
    ) -> [ContentPart] {
        guard let remaining = budget else { return parts }
        var left = remaining
        var out: [ContentPart] = []
        for part in parts {
            guard let (partKind, partReference) = part.media else {
                out.append(part)
                continue
            }
            let cost = (partReference.byteCount + 2) / 3 * 4
            if cost <= left {
                left -= cost
                out.append(part)
            } else {
                out.append(
                    .text(
                        note(
                            partKind, partReference,
                            "was left out: it would take the request over \(profile.providerName)'s "
                                + "\(MediaError.megabytes(profile.inlineBudgetBytes ?? 0)) inline media limit"
                        )))
            }
        }
        budget = left
        return out
    }

    func prepareImage(_ reference: MediaReference, _ profile: ProviderMediaProfile) async throws(MediaError)
        -> [ContentPart]
    {
        let metadata = try await probe(reference)
        let edge = max(metadata.width ?? 0, metadata.height ?? 0)
        let convert = !profile.imageTypes.contains(reference.mimeType)
        let shrink = edge > profile.maxImageEdge
        let heavy = reference.byteCount > profile.maxImageBytes
        guard convert || shrink || heavy else { return [.image(reference)] }
        // PNG keeps screenshots sharp; a photo too heavy for the provider becomes JPEG.
        let usePNG = reference.mimeType == "image/png" && !heavy || convert && !heavy
        let ext = usePNG ? "png" : "jpg"
        let target = min(edge, profile.maxImageEdge)
        let folder = try await cached(reference, variant: "image-\(target)-\(ext)") {
            directory throws(MediaError) in
            var arguments = ["-i", reference.path, "-frames:v", "1", "-vf", Self.fitFilter(target)]
            if !usePNG { arguments += ["-q:v", "3"] }
            try await ffmpeg(arguments + [directory + "/image." + ext], reference, step: "resize the image")
        }
        let derived = try Self.reference(folder + "/image." + ext, mime: usePNG ? "image/png" : "image/jpeg")
        var why: [String] = []
        if convert { why.append("\(profile.providerName) does not take \(reference.mimeType)") }
        if shrink { why.append("its longest edge is over \(profile.maxImageEdge) px") }
        if heavy { why.append("it is over \(MediaError.megabytes(profile.maxImageBytes))") }
        let size = metadata.width.map { "\($0)×\(metadata.height ?? 0)" } ?? "?"
        return [
            .text(
                note(
                    .image, reference,
                    "(\(size)) is sent as a \(ext.uppercased()) of at most \(target) px because "
                        + why.joined(separator: " and "))),
            .image(derived),
        ]
    }

    func prepareAudio(_ reference: MediaReference, _ profile: ProviderMediaProfile, budget: Int64?)
        async throws(MediaError) -> [ContentPart]
    {
        let fits = budget.map { (reference.byteCount + 2) / 3 * 4 <= $0 } ?? true
        if profile.audio == .none || profile.acceptsAudio(reference.mimeType) && fits {
            return [.audio(reference)]
        }
        let derived = try await audioTrack(of: reference)
        let reason =
            fits
            ? "\(profile.providerName) accepts only WAV and MP3 audio"
            : "the original is over \(profile.providerName)'s inline media limit"
        return [
            .text(note(.audio, reference, "is sent transcoded to MP3 (mono, 16 kHz) because \(reason)")),
            .audio(derived),
        ]
    }

    /// The file's sound as a compact MP3 (mono, 16 kHz, 32 kbit/s: speech stays clear).
    func audioTrack(of reference: MediaReference) async throws(MediaError) -> MediaReference {
        let folder = try await cached(reference, variant: "audio-mp3") { directory throws(MediaError) in
            try await ffmpeg(
                [
                    "-i", reference.path, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "libmp3lame", "-b:a",
                    "32k",
                    directory + "/audio.mp3",
                ], reference, step: "extract the audio as MP3")
        }
        return try Self.reference(folder + "/audio.mp3", mime: "audio/mpeg")
    }

    /// `scale` that fits the picture inside `edge`×`edge`, never enlarging it.
    static func fitFilter(_ edge: Int) -> String {
        "scale='min(\(edge),iw)':'min(\(edge),ih)':force_original_aspect_ratio=decrease"
    }

    /// Probes a file already accepted by `MediaInspector` (history media, tool results).
    func probe(_ reference: MediaReference) async throws(MediaError) -> MediaMetadata {
        let output = try await runner.run(
            "ffprobe",
            ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", reference.path],
            timeout: .seconds(30), subject: reference.path)
        guard output.status == 0,
            let metadata = MediaMetadata(ffprobeJSON: String(decoding: output.standardOutput, as: UTF8.self))
        else {
            throw .corrupt(
                path: reference.path,
                detail: MediaInspector.lastLine(output.standardErrorTail) ?? "no media stream")
        }
        return metadata
    }

    /// Runs ffmpeg quietly, overwriting, with the conversion deadline.
    func ffmpeg(_ arguments: [String], _ reference: MediaReference, step: String) async throws(MediaError) {
        let output = try await runner.run(
            "ffmpeg", ["-nostdin", "-v", "error", "-y"] + arguments, timeout: conversionTimeout,
            subject: reference.path)
        if output.status != 0 {
            throw .conversionFailed(
                path: reference.path, step: step,
                detail: MediaInspector.lastLine(output.standardErrorTail) ?? "exit status \(output.status)")
        }
    }

    /// The folder holding `variant` of the file, built by `build` into a scratch folder that is
    /// renamed into place, so concurrent agents preparing the same file never see half a result.
    func cached(
        _ reference: MediaReference, variant: String,
        build: (String) async throws(MediaError) -> Void
    ) async throws(MediaError) -> String {
        let base = cacheDirectory + "/" + reference.sha256
        let final = base + "/" + variant
        if FileManager.default.fileExists(atPath: final) { return final }
        let scratch = base + "/.building-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        } catch {
            throw .conversionFailed(path: reference.path, step: "create the media cache", detail: "\(error)")
        }
        do {
            try await build(scratch)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        if (try? FileManager.default.moveItem(atPath: scratch, toPath: final)) == nil {
            // Another agent finished the same variant first; theirs is identical.
            try? FileManager.default.removeItem(atPath: scratch)
            guard FileManager.default.fileExists(atPath: final) else {
                throw .conversionFailed(path: reference.path, step: "store the converted file", detail: final)
            }
        }
        return final
    }

    /// A reference to a derived file (hashed: it is small).
    static func reference(_ path: String, mime: String) throws(MediaError) -> MediaReference {
        do {
            let (digest, count) = try StreamingSHA256.hashFile(at: path)
            return MediaReference(path: path, mimeType: mime, byteCount: count, sha256: digest)
        } catch {
            throw .conversionFailed(path: path, step: "read the converted file", detail: "\(error)")
        }
    }

    /// A bracketed note about an attachment, e.g. `[Attached video "clip.mp4" … is sent as …]`.
    func note(_ kind: MediaKind, _ reference: MediaReference, _ text: String) -> String {
        let name = (reference.path as NSString).lastPathComponent
        return
            "[Attached \(kind.rawValue) \"\(name)\" (\(reference.mimeType), \(reference.byteCount) bytes) \(text).]"
    }
}
