import Foundation

/// What one provider accepts per media kind, and the limits `MediaPreparer` fits media into.
///
/// The wire formats decide the JSON shape; the profile decides what reaches them: an image over
/// the provider's size is downscaled, audio in a format it cannot take is transcoded, and video
/// becomes sampled JPEG frames (plus the audio track where audio is accepted) when the provider
/// takes no video or the file is over its inline limit.
public struct ProviderMediaProfile: Sendable, Hashable {
    /// How a provider takes audio.
    public enum AudioSupport: Sendable, Hashable {
        /// Not at all: the encoder tells the model in text.
        case none
        /// Only these MIME types; others are transcoded to MP3 first (OpenAI `input_audio`).
        case formats(Set<String>)
        /// Any common format inline (Gemini).
        case any
    }

    /// The provider's name in notes to the model.
    public var providerName: String
    /// Image MIME types sent as they are; other images are converted to PNG.
    public var imageTypes: Set<String>
    /// Longest image edge in pixels; larger images are downscaled.
    public var maxImageEdge: Int
    /// Largest image file sent; larger ones are re-encoded as JPEG.
    public var maxImageBytes: Int64
    /// Audio support.
    public var audio: AudioSupport
    /// Whether video is sent natively (else as frames).
    public var acceptsVideo: Bool
    /// Total inline media per request (Gemini: about 20 MB); `nil` = no request-wide cap.
    public var inlineBudgetBytes: Int64?
    /// Seconds between sampled frames of a video.
    public var frameInterval: Double
    /// Most frames sampled from one video.
    public var maxFrames: Int
    /// Longest edge of a sampled frame in pixels.
    public var frameEdge: Int

    /// Creates a profile.
    public init(
        providerName: String,
        imageTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"],
        maxImageEdge: Int, maxImageBytes: Int64, audio: AudioSupport, acceptsVideo: Bool,
        inlineBudgetBytes: Int64? = nil, frameInterval: Double = 2, maxFrames: Int = 8, frameEdge: Int = 1024
    ) {
        self.providerName = providerName
        self.imageTypes = imageTypes
        self.maxImageEdge = maxImageEdge
        self.maxImageBytes = maxImageBytes
        self.audio = audio
        self.acceptsVideo = acceptsVideo
        self.inlineBudgetBytes = inlineBudgetBytes
        self.frameInterval = frameInterval
        self.maxFrames = maxFrames
        self.frameEdge = frameEdge
    }

    /// OpenAI Chat Completions (and compatible servers): images up to 20 MB (scaled to 2048 px by
    /// the API anyway), `input_audio` WAV/MP3, no video.
    public static func openAIChat(_ name: String = "OpenAI") -> ProviderMediaProfile {
        ProviderMediaProfile(
            providerName: name, maxImageEdge: 2048, maxImageBytes: 20 * 1_048_576,
            audio: .formats(["audio/wav", "audio/mpeg"]), acceptsVideo: false)
    }

    /// OpenAI Responses: `input_image` as on Chat; no audio and no video input.
    public static func openAIResponses(_ name: String = "OpenAI") -> ProviderMediaProfile {
        ProviderMediaProfile(
            providerName: name, maxImageEdge: 2048, maxImageBytes: 20 * 1_048_576, audio: .none,
            acceptsVideo: false)
    }

    /// Anthropic Messages: images up to 5 MB (1568 px is the size it works at), PDFs; no audio, no video.
    public static func anthropic(_ name: String = "Anthropic") -> ProviderMediaProfile {
        ProviderMediaProfile(
            providerName: name, maxImageEdge: 1568, maxImageBytes: 5 * 1_048_576, audio: .none,
            acceptsVideo: false)
    }

    /// Gemini: images, audio, video and PDFs inline, about 20 MB per request in total.
    public static func gemini(_ name: String = "Gemini") -> ProviderMediaProfile {
        ProviderMediaProfile(
            providerName: name,
            imageTypes: ["image/png", "image/jpeg", "image/webp", "image/heic", "image/heif"],
            maxImageEdge: 3072, maxImageBytes: 7 * 1_048_576, audio: .any, acceptsVideo: true,
            inlineBudgetBytes: 20_000_000)
    }

    /// The profile for a backend type; `nil` for types that send no media (scripted, external agents).
    public static func forType(_ type: BackendType) -> ProviderMediaProfile? {
        switch type.family {
        case .openAIChat: openAIChat(type.providerName)
        case .openAIResponses: openAIResponses(type.providerName)
        case .anthropic: anthropic(type.providerName)
        case .gemini: gemini(type.providerName)
        case .scripted, .external: nil
        }
    }

    /// Whether audio of `mimeType` goes as it is.
    func acceptsAudio(_ mimeType: String) -> Bool {
        switch audio {
        case .none: false
        case .any: true
        case .formats(let types): types.contains(mimeType.lowercased())
        }
    }
}
