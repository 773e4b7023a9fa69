import Foundation

/// What ffprobe reports about a media file: dimensions, duration, codecs, audio format.
public struct MediaMetadata: Sendable, Hashable, Codable {
    /// Container format names, e.g. `mov,mp4,m4a,3gp,3g2,mj2` or `png_pipe`.
    public var container: String?
    /// Width in pixels of the first video/image stream.
    public var width: Int?
    /// Height in pixels of the first video/image stream.
    public var height: Int?
    /// Duration in seconds (audio and video).
    public var durationSeconds: Double?
    /// Codec of the first video (or image) stream, e.g. `h264`, `png`.
    public var videoCodec: String?
    /// Codec of the first audio stream, e.g. `aac`, `pcm_s16le`.
    public var audioCodec: String?
    /// Sample rate of the first audio stream in Hz.
    public var sampleRate: Int?
    /// Channel count of the first audio stream.
    public var channels: Int?
    /// Whether the file has an audio stream (a video without sound gets no audio track extracted).
    public var hasAudio: Bool { audioCodec != nil }
    /// Whether the file has a picture stream.
    public var hasVideo: Bool { videoCodec != nil }

    /// Creates metadata; all fields optional (a PDF has none of them).
    public init(
        container: String? = nil, width: Int? = nil, height: Int? = nil, durationSeconds: Double? = nil,
        videoCodec: String? = nil, audioCodec: String? = nil, sampleRate: Int? = nil, channels: Int? = nil
    ) {
        self.container = container
        self.width = width
        self.height = height
        self.durationSeconds = durationSeconds
        self.videoCodec = videoCodec
        self.audioCodec = audioCodec
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Reads `ffprobe -print_format json -show_format -show_streams` output; `nil` when it is not
    /// that JSON or lists no stream (ffprobe prints `{}` for some unreadable inputs).
    public init?(ffprobeJSON text: String) {
        guard let root = JSONValue.parse(text), case .array(let streams)? = root["streams"], !streams.isEmpty
        else { return nil }
        container = root["format"]?["format_name"]?.stringValue
        durationSeconds = Self.number(root["format"]?["duration"])
        for stream in streams {
            let codec = stream["codec_name"]?.stringValue
            switch stream["codec_type"]?.stringValue {
            case "video" where videoCodec == nil:
                // Cover art in an MP3 is a one-picture "video" stream; it still gives dimensions.
                videoCodec = codec ?? "unknown"
                width = Self.number(stream["width"]).map { Int($0) }
                height = Self.number(stream["height"]).map { Int($0) }
                if durationSeconds == nil { durationSeconds = Self.number(stream["duration"]) }
            case "audio" where audioCodec == nil:
                audioCodec = codec ?? "unknown"
                sampleRate = Self.number(stream["sample_rate"]).map { Int($0) }
                channels = Self.number(stream["channels"]).map { Int($0) }
                if durationSeconds == nil { durationSeconds = Self.number(stream["duration"]) }
            default:
                continue
            }
        }
    }

    /// ffprobe writes most numbers as strings ("5.000000"); accept both.
    private static func number(_ value: JSONValue?) -> Double? {
        guard let value else { return nil }
        if let number = value.numberValue { return number.isFinite ? number : nil }
        if let text = value.stringValue, let number = Double(text), number.isFinite { return number }
        return nil
    }
}
