import Foundation

extension MediaPreparer {
    /// A video natively when the provider takes it and it fits the inline budget; otherwise a
    /// note, sampled JPEG frames, and the audio track as MP3 where the provider takes audio.
    func prepareVideo(_ reference: MediaReference, _ profile: ProviderMediaProfile, budget: Int64?)
        async throws(MediaError) -> [ContentPart]
    {
        let fits = budget.map { (reference.byteCount + 2) / 3 * 4 <= $0 } ?? true
        if profile.acceptsVideo && fits { return [.video(reference)] }
        let metadata = try await probe(reference)
        var parts: [ContentPart] = []
        var frames: [(Double, MediaReference)] = []
        if metadata.hasVideo {
            frames = try await sampleFrames(reference, metadata: metadata, profile: profile)
        }
        var track: MediaReference?
        if metadata.hasAudio, profile.audio != .none {
            track = try await audioTrack(of: reference)
        }
        let why =
            profile.acceptsVideo
            ? "the file is over \(profile.providerName)'s \(MediaError.megabytes(profile.inlineBudgetBytes ?? 0)) "
                + "inline media limit"
            : "\(profile.providerName) does not accept video"
        var shown: [String] = []
        if !frames.isEmpty {
            let times = frames.map { String(format: "%.1f s", $0.0) }.joined(separator: ", ")
            shown.append("\(frames.count) frame\(frames.count == 1 ? "" : "s") sampled at \(times)")
        }
        if track != nil { shown.append("its audio track as MP3") }
        var text =
            "(\(Self.summary(metadata))) is shown as "
            + (shown.isEmpty ? "nothing" : shown.joined(separator: " and "))
            + " because \(why)"
        if metadata.hasAudio, track == nil {
            text += "; its sound is not included: \(profile.providerName) does not accept audio"
        }
        parts.append(.text(note(.video, reference, text)))
        for (time, frame) in frames {
            parts.append(.text(String(format: "[frame at %.1f s]", time)))
            parts.append(.image(frame))
        }
        if let track { parts.append(.audio(track)) }
        return parts
    }

    /// Evenly spaced JPEG frames: one per `frameInterval` seconds, at most `maxFrames`, each at
    /// the middle of its stretch (so a 2 s clip sampled twice shows 0.5 s and 1.5 s).
    func sampleFrames(_ reference: MediaReference, metadata: MediaMetadata, profile: ProviderMediaProfile)
        async throws(MediaError) -> [(Double, MediaReference)]
    {
        let duration = max(metadata.durationSeconds ?? 0, 0)
        let count = max(
            1, min(profile.maxFrames, Int((duration / max(profile.frameInterval, 0.1)).rounded(.up))))
        let times = (0..<count).map { duration * (Double($0) + 0.5) / Double(count) }
        let folder = try await cached(reference, variant: "frames-\(count)-\(profile.frameEdge)") {
            directory throws(MediaError) in
            for (index, time) in times.enumerated() {
                // Seeking before `-i` jumps to the nearest keyframe without decoding the whole file.
                try await ffmpeg(
                    [
                        "-ss", String(format: "%.3f", time), "-i", reference.path, "-frames:v", "1", "-an",
                        "-vf", Self.fitFilter(profile.frameEdge), "-q:v", "4",
                        directory + String(format: "/frame-%03d.jpg", index),
                    ],
                    reference, step: "extract a frame at \(String(format: "%.1f", time)) s")
            }
        }
        var frames: [(Double, MediaReference)] = []
        for (index, time) in times.enumerated() {
            let path = folder + String(format: "/frame-%03d.jpg", index)
            // A seek past the last keyframe can yield no picture; skip that one rather than fail.
            guard FileManager.default.fileExists(atPath: path) else { continue }
            frames.append((time, try Self.reference(path, mime: "image/jpeg")))
        }
        return frames
    }

    /// `12.0 s, 1280×720, h264 + aac audio`.
    static func summary(_ metadata: MediaMetadata) -> String {
        var pieces: [String] = []
        if let duration = metadata.durationSeconds { pieces.append(String(format: "%.1f s", duration)) }
        if let width = metadata.width, let height = metadata.height { pieces.append("\(width)×\(height)") }
        let codecs = [metadata.videoCodec, metadata.audioCodec.map { $0 + " audio" }].compactMap { $0 }
        if !codecs.isEmpty { pieces.append(codecs.joined(separator: " + ")) }
        return pieces.isEmpty ? "no details" : pieces.joined(separator: ", ")
    }
}
