import Foundation

/// git's content fingerprint for rename detection (`diffcore-delta.c`), reimplemented so
/// similarity percentages equal git's exactly.
///
/// The content is cut into chunks that end at a newline or after 64 bytes; each chunk is hashed
/// into one of 107,927 buckets, and the signature records how many bytes fell into each bucket.
/// Two files share `min(a, b)` bytes per bucket; the score of a pair is the shared bytes over the
/// larger size. In text files a CR directly before LF is ignored, so CRLF ↔ LF is not a change.
/// Bytes of an unterminated last line shorter than 64 bytes are not counted, as in git.
struct SpanHashSignature: Sendable {
    /// Bucket → bytes in that bucket, sorted by bucket.
    private(set) var buckets: [(hash: UInt32, count: Int)]
    /// The content's size in bytes (before CR stripping), as git uses it.
    let size: Int

    private static let hashBase: UInt32 = 107_927

    init(_ content: [UInt8]) {
        size = content.count
        let isText = !GitBinaryDetection.isBinary(content)
        var counts: [UInt32: Int] = [:]
        var accum1: UInt32 = 0
        var accum2: UInt32 = 0
        var chunkLength = 0
        var index = 0
        let end = content.count
        while index < end {
            let byte = content[index]
            index += 1
            if isText, byte == 0x0D, index < end, content[index] == 0x0A { continue }
            let old1 = accum1
            accum1 = (accum1 << 7) ^ (accum2 >> 25)
            accum2 = (accum2 << 7) ^ (old1 >> 25)
            accum1 = accum1 &+ UInt32(byte)
            chunkLength += 1
            if chunkLength < 64, byte != 0x0A { continue }
            counts[(accum1 &+ accum2 &* 0x61) % Self.hashBase, default: 0] += chunkLength
            chunkLength = 0
            accum1 = 0
            accum2 = 0
        }
        // git 2.39 drops a final chunk that has no newline and is shorter than 64 bytes; doing
        // the same keeps percentages identical to the git users have installed.
        buckets = counts.map { (hash: $0.key, count: $0.value) }.sorted { $0.hash < $1.hash }
    }

    /// Bytes of `destination` that also occur in `self` (git's `src_copied`).
    func copiedBytes(into destination: SpanHashSignature) -> Int {
        var copied = 0
        var i = 0
        var j = 0
        let source = buckets
        let target = destination.buckets
        while i < source.count, j < target.count {
            if source[i].hash == target[j].hash {
                copied += min(source[i].count, target[j].count)
                i += 1
                j += 1
            } else if source[i].hash < target[j].hash {
                i += 1
            } else {
                j += 1
            }
        }
        return copied
    }
}

/// git's binary test (`buffer_is_binary`): a NUL byte within the first 8000 bytes.
enum GitBinaryDetection {
    /// How far git looks for a NUL byte.
    static let inspectedBytes = 8000

    /// True when git treats `content` as binary.
    static func isBinary(_ content: [UInt8]) -> Bool {
        content.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, min(bytes.count, inspectedBytes)) != nil
        }
    }
}

/// Scores on git's scale, where 60,000 means identical.
enum GitSimilarityScore {
    /// git's `MAX_SCORE`.
    static let maximum = 60_000

    /// git's similarity of `source` → `destination` (0…60,000), 0 when the sizes differ too much
    /// for `minimumScore` to be reachable (git skips those pairs without hashing).
    static func estimate(
        source: SpanHashSignature, destination: SpanHashSignature, minimumScore: Int
    ) -> Int {
        let maxSize = max(source.size, destination.size)
        let baseSize = min(source.size, destination.size)
        let delta = maxSize - baseSize
        if maxSize * (maximum - minimumScore) < delta * maximum { return 0 }
        guard destination.size > 0 else { return 0 }
        return source.copiedBytes(into: destination) * maximum / maxSize
    }

    /// The whole percentage git prints (`R087`).
    static func percent(_ score: Int) -> Int { score * 100 / maximum }
}
