import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Produces a request body from its `BodyPart`s on demand, for libcurl's read callback.
///
/// Files are read in bounded chunks and base64 parts are encoded chunk by chunk (in multiples of
/// three input bytes, so chunk encodings concatenate to the encoding of the whole file): memory
/// stays around `chunkSize` whatever the body size. The exact total size is known up front, so the
/// request carries a `Content-Length` instead of a chunked upload. Not thread-safe: one transfer
/// thread owns it.
final class RequestBodyStream {
    /// Raw bytes read per file chunk; a multiple of 3 so base64 chunks need no padding mid-stream.
    static let chunkSize = 3 * 16 * 1024

    private let parts: [BodyPart]
    /// Raw bytes to read from each part's source (the file size for both file kinds).
    private let sourceSizes: [Int64]
    /// Exact number of bytes `read(into:)` will produce in total.
    let totalSize: Int64

    private var partIndex = 0
    private var pending = Data()
    private var pendingOffset = 0
    private var fileDescriptor: Int32 = -1
    /// Raw bytes of the current file part read so far.
    private var fileBytesRead: Int64 = 0
    /// The failure that made `read(into:)` return nil, for the transfer's error.
    private(set) var failure: TransportError?

    /// Measures every part; throws when a file part cannot be examined.
    init(parts: [BodyPart]) throws(TransportError) {
        self.parts = parts
        var sources: [Int64] = []
        var total: Int64 = 0
        for part in parts {
            switch part {
            case .bytes(let data):
                sources.append(Int64(data.count))
                total += Int64(data.count)
            case .file(let path):
                let size = try Self.fileSize(path)
                sources.append(size)
                total += size
            case .base64File(let path):
                let size = try Self.fileSize(path)
                sources.append(size)
                total += Self.base64Length(ofRawSize: size)
            }
        }
        sourceSizes = sources
        totalSize = total
    }

    deinit {
        if fileDescriptor >= 0 { _ = close(fileDescriptor) }
    }

    /// Length of the padded base64 encoding of `rawSize` bytes.
    static func base64Length(ofRawSize rawSize: Int64) -> Int64 {
        (rawSize + 2) / 3 * 4
    }

    private static func fileSize(_ path: String) throws(TransportError) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .bodyUnreadable(path: path, message: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .bodyUnreadable(path: path, message: "not a regular file")
        }
        return Int64(info.st_size)
    }

    /// Fills `buffer` with the next body bytes. Returns the count (0 at the end of the body), or
    /// nil when a file cannot be read; `failure` then says why.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        var written = 0
        while written < buffer.count {
            if pendingOffset == pending.count {
                guard failure == nil else { return nil }
                if !refill() {
                    return failure == nil ? written : nil
                }
                continue
            }
            let count = min(buffer.count - written, pending.count - pendingOffset)
            pending.withUnsafeBytes { source in
                guard let base = source.baseAddress, let target = buffer.baseAddress else { return }
                (target + written).copyMemory(from: base + pendingOffset, byteCount: count)
            }
            written += count
            pendingOffset += count
        }
        return written
    }

    /// Loads the next bytes into `pending`; false at the end of the body or on failure.
    private func refill() -> Bool {
        while partIndex < parts.count {
            let produced: Data?
            switch parts[partIndex] {
            case .bytes(let data):
                produced = data
                partIndex += 1
            case .file(let path):
                produced = nextFileChunk(path: path, size: sourceSizes[partIndex])
            case .base64File(let path):
                produced = nextFileChunk(path: path, size: sourceSizes[partIndex]).map { $0.base64EncodedData() }
            }
            if failure != nil { return false }
            if let produced, !produced.isEmpty {
                pending = produced
                pendingOffset = 0
                return true
            }
        }
        return false
    }

    /// The next chunk of the current file part (a multiple of 3 bytes unless it is the last), or
    /// nil after its last chunk, when it moves on to the next part.
    private func nextFileChunk(path: String, size: Int64) -> Data? {
        if fileDescriptor < 0 {
            fileDescriptor = open(path, O_RDONLY)
            fileBytesRead = 0
            guard fileDescriptor >= 0 else {
                failure = .bodyUnreadable(path: path, message: String(cString: strerror(errno)))
                return nil
            }
        }
        let wanted = Int(min(Int64(Self.chunkSize), size - fileBytesRead))
        guard wanted > 0 else {
            _ = close(fileDescriptor)
            fileDescriptor = -1
            partIndex += 1
            return nil
        }
        var chunk = Data(count: wanted)
        var filled = 0
        // Fill the whole chunk: a short read mid-file would break the multiple-of-3 alignment.
        while filled < wanted {
            let count = chunk.withUnsafeMutableBytes { raw in
                systemRead(fileDescriptor, raw.baseAddress.map { $0 + filled }, wanted - filled)
            }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                failure = .bodyUnreadable(
                    path: path,
                    message: count == 0 ? "the file shrank while it was being sent" : String(cString: strerror(errno)))
                return nil
            }
            filled += count
        }
        fileBytesRead += Int64(wanted)
        return chunk
    }
}

/// `read(2)` under a name that cannot collide with `RequestBodyStream.read(into:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
    #else
        Darwin.read(fd, buffer, count)
    #endif
}
