/// Keeps the first and last bytes of a command's output, counting what falls in between.
///
/// Build logs put the command line first and the error last, so both ends matter; the middle
/// is replaced by a marker saying how much was left out. Memory stays bounded by the limit.
struct CappedOutput {
    let headLimit: Int
    let tailLimit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    /// Ring start inside `tail` once it is full.
    private var tailStart = 0
    private(set) var totalBytes = 0

    /// Keeps up to `limit` bytes: half from the start, half from the end.
    init(limit: Int) {
        headLimit = limit / 2
        tailLimit = limit - limit / 2
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        totalBytes += bytes.count
        var rest = bytes[...]
        if head.count < headLimit {
            let take = min(headLimit - head.count, rest.count)
            head.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        guard tailLimit > 0, !rest.isEmpty else { return }
        if rest.count >= tailLimit {
            tail = Array(rest.suffix(tailLimit))
            tailStart = 0
            return
        }
        if tail.count < tailLimit {
            let take = min(tailLimit - tail.count, rest.count)
            tail.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        for byte in rest {
            tail[tailStart] = byte
            tailStart = (tailStart + 1) % tailLimit
        }
    }

    /// Bytes dropped between head and tail.
    var omittedBytes: Int { totalBytes - head.count - tail.count }

    /// The kept output as text, with a marker where bytes were dropped.
    var text: String {
        let orderedTail = Array(tail[tailStart...] + tail[..<tailStart])
        var result = String(decoding: head, as: UTF8.self)
        if omittedBytes > 0 { result += "\n… \(omittedBytes) bytes omitted …\n" }
        result += String(decoding: orderedTail, as: UTF8.self)
        return result
    }
}
