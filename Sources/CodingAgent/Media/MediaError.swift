import Foundation

/// Why a media file could not be attached or prepared for a provider.
///
/// Every case names the file and says how to fix the problem. The CLI maps `isDataError` cases
/// (unreadable, too large, corrupt, unrecognised) to exit status 65 (`EX_DATAERR`).
public enum MediaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The path does not exist, is a directory, or cannot be read.
    case unreadable(path: String, reason: String)
    /// The content matches no supported media type (the extension is not trusted).
    case unrecognized(path: String)
    /// The file is larger than the limit for its kind.
    case tooLarge(path: String, byteCount: Int64, limit: Int64, setting: String)
    /// ffprobe or ffmpeg could not read the file: truncated, garbage, or an unsupported codec.
    case corrupt(path: String, detail: String)
    /// A helper program (ffprobe, ffmpeg) is not installed.
    case toolMissing(tool: String, package: String)
    /// ffprobe or ffmpeg ran longer than allowed and was stopped.
    case timedOut(tool: String, path: String, seconds: Double)
    /// ffmpeg failed while converting the file for a provider.
    case conversionFailed(path: String, step: String, detail: String)

    /// Whether the problem lies in the input file (exit status 65), rather than in the setup.
    public var isDataError: Bool {
        switch self {
        case .unreadable, .unrecognized, .tooLarge, .corrupt, .timedOut: true
        case .toolMissing, .conversionFailed: false
        }
    }

    /// The exit status the CLI uses for this error: 65 for bad input, 69 (`EX_UNAVAILABLE`) for a
    /// missing helper program, 70 (`EX_SOFTWARE`) for a failed conversion.
    public var exitStatus: Int32 {
        switch self {
        case .toolMissing: 69
        case .conversionFailed: 70
        default: 65
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "Cannot attach \(path): \(reason)."
        case .unrecognized(let path):
            return "Cannot attach \(path): its content is not a supported image, audio, video or PDF file "
                + "(supported: PNG, JPEG, GIF, WebP, BMP, TIFF, HEIC, WAV, MP3, AAC, FLAC, Ogg, M4A, MP4, MOV, WebM, "
                + "MKV, AVI, PDF). The type is read from the content, not the extension; plain text goes with --file."
        case .tooLarge(let path, let byteCount, let limit, let setting):
            return
                "Cannot attach \(path): it is \(Self.megabytes(byteCount)), over the \(Self.megabytes(limit)) "
                + "limit (\(setting)). Attach a smaller or shortened file, or raise \(setting)."
        case .corrupt(let path, let detail):
            return "Cannot attach \(path): the file is damaged or truncated (\(detail)). "
                + "Check that it opens in a media player, or export it again."
        case .toolMissing(let tool, let package):
            return
                "\(tool) is not installed, and mg needs it to read media files. Install the `\(package)` package "
                + "(Debian/Ubuntu: apt-get install \(package); macOS: brew install \(package))."
        case .timedOut(let tool, let path, let seconds):
            return "Cannot attach \(path): \(tool) did not finish within \(Int(seconds)) s and was stopped; "
                + "the file may be damaged or far too long."
        case .conversionFailed(let path, let step, let detail):
            return "Could not \(step) for \(path): ffmpeg failed (\(detail))."
        }
    }

    /// A byte count in MB with one decimal, as the limits are configured.
    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
