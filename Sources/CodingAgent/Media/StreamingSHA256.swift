import Crypto
import Foundation

/// SHA-256 as mg records it (lowercase hex), incrementally, so media are hashed while they are
/// read or copied and never held whole: swift-crypto's `SHA256` (BoringSSL) behind the two calls
/// mg needs.
public struct StreamingSHA256: Sendable {
    private var hasher = SHA256()

    /// A fresh hash.
    public init() {}

    /// Feeds the next bytes.
    public mutating func update(_ bytes: some DataProtocol) {
        hasher.update(data: bytes)
    }

    /// The lowercase hex digest of everything fed.
    public func finalize() -> String {
        hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 0x10 ? "0" + hex : hex
        }.joined()
    }

    /// Hashes the file at `path` in 1 MiB chunks; returns the digest and the byte count.
    public static func hashFile(at path: String) throws -> (digest: String, byteCount: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var hasher = StreamingSHA256()
        var count: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            count += Int64(chunk.count)
        }
        return (hasher.finalize(), count)
    }
}
