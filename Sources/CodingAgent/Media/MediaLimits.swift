import Foundation

/// How large an attached file may be, overall and per kind.
///
/// MassGen's `media_max_file_size_mb` (default 64) caps every file; the per-kind limits can only
/// lower it. Files within the limits can still be bigger than a provider takes inline: those are
/// downscaled, transcoded or sampled by `MediaPreparer` rather than refused.
public struct MediaLimits: Sendable, Hashable {
    /// MassGen's default for `media_max_file_size_mb`.
    public static let defaultMaxFileSizeMB: Double = 64

    /// The overall cap in MB (`media_max_file_size_mb`).
    public var maxFileSizeMB: Double
    /// Optional lower caps per kind, in bytes.
    public var perKindBytes: [MediaKind: Int64]

    /// Creates limits; `maxFileSizeMB` defaults to MassGen's 64.
    public init(
        maxFileSizeMB: Double = MediaLimits.defaultMaxFileSizeMB, perKindBytes: [MediaKind: Int64] = [:]
    ) {
        self.maxFileSizeMB = maxFileSizeMB
        self.perKindBytes = perKindBytes
    }

    /// The byte limit for `kind` and the setting that imposes it (named in the error).
    public func limit(for kind: MediaKind) -> (bytes: Int64, setting: String) {
        let overall = Int64(maxFileSizeMB * 1_048_576)
        if let perKind = perKindBytes[kind], perKind < overall {
            return (perKind, "the \(kind.rawValue) size limit")
        }
        return (overall, "media_max_file_size_mb = \(Self.format(maxFileSizeMB))")
    }

    /// Throws `tooLarge` when `byteCount` is over the limit for `kind`.
    public func check(path: String, kind: MediaKind, byteCount: Int64) throws(MediaError) {
        let (limit, setting) = limit(for: kind)
        if byteCount > limit {
            throw .tooLarge(path: path, byteCount: byteCount, limit: limit, setting: setting)
        }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
