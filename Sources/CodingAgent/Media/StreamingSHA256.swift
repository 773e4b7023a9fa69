import Foundation

/// An incremental SHA-256 for code outside this module that hashes media while copying it
/// (the session media library), so content is read once and never held whole.
public struct StreamingSHA256: Sendable {
    private var hasher = SHA256Hasher()

    /// A fresh hash.
    public init() {}

    /// Feeds the next bytes.
    public mutating func update(_ data: Data) {
        hasher.update(data)
    }

    /// The lowercase hex digest of everything fed.
    public mutating func finalize() -> String {
        hasher.finalize()
    }
}
