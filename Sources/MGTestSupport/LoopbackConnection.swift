import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One accepted TCP connection of a `LoopbackHTTPServer`: reads requests, runs the handler,
/// plays the scripted response. Lives on its own thread and is never shared.
final class LoopbackConnection {
    private let fd: Int32
    private let number: Int
    private let core: LoopbackServerCore
    /// Bytes received but not yet parsed live in `buffer[start...]`.
    private var buffer: [UInt8] = []
    private var start = 0
    private var scratch = [UInt8](repeating: 0, count: 256 * 1024)
    private var isOpen = true

    private static let maximumHeadSize = 256 * 1024

    init(fd: Int32, number: Int, core: LoopbackServerCore) {
        self.fd = fd
        self.number = number
        self.core = core
    }

    func run() {
        defer { closeSocket() }
        while isOpen, !core.isStopped {
            guard let head = readHead() else { return }
            guard let request = LoopbackRequestHead(parsing: head) else {
                _ = sendAll(Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
                return
            }
            if request.expectsContinue, request.version == "HTTP/1.1" {
                guard sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
            }
            guard let (body, count) = readBody(of: request) else { return }
            let recorded = core.record(
                RecordedRequest(
                    sequenceNumber: 0, connectionNumber: number, method: request.method, target: request.target,
                    httpVersion: request.version, headers: request.headers, body: body, bodyByteCount: count,
                    bodyWasChunked: request.isChunked))
            let response = core.handler(recorded)
            guard play(response, clientWantsClose: request.wantsClose) else { return }
        }
    }

    // MARK: Reading

    /// Receives into `scratch`, at most `limit` bytes. Returns the count, 0 at end of stream,
    /// or -1 on error or when the server stops.
    private func receive(limit: Int = .max) -> Int {
        while !core.isStopped {
            let wanted = min(limit, scratch.count)
            let received = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, wanted, 0) }
            if received >= 0 { return received }
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
            return -1
        }
        return -1
    }

    /// Appends one `recv` worth of bytes to `buffer`; false when no more bytes will come.
    private func fill() -> Bool {
        let received = receive()
        guard received > 0 else { return false }
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 64 * 1024 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: scratch[0..<received])
        return true
    }

    private func readHead() -> [UInt8]? {
        var searchFrom = start
        while true {
            if let end = find([13, 10, 13, 10], from: searchFrom) {
                let head = Array(buffer[start..<end])
                start = end + 4
                return head
            }
            searchFrom = max(start, buffer.count - 3)
            guard buffer.count - start < Self.maximumHeadSize, fill() else { return nil }
        }
    }

    private func readLine() -> String? {
        var searchFrom = start
        while true {
            if let end = find([13, 10], from: searchFrom) {
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end + 2
                return line
            }
            searchFrom = max(start, buffer.count - 1)
            guard buffer.count - start < Self.maximumHeadSize, fill() else { return nil }
        }
    }

    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        guard buffer.count - from >= pattern.count else { return nil }
        var index = from
        while index + pattern.count <= buffer.count {
            if buffer[index] == pattern[0], Array(buffer[index..<index + pattern.count]) == pattern {
                return index
            }
            index += 1
        }
        return nil
    }

    /// Reads exactly `count` body bytes, appending them to `body` when bodies are stored.
    private func readExactly(_ count: Int, into body: inout Data) -> Bool {
        var remaining = count
        let buffered = min(remaining, buffer.count - start)
        if buffered > 0 {
            if core.options.storeBodies { body.append(contentsOf: buffer[start..<start + buffered]) }
            start += buffered
            remaining -= buffered
        }
        // Straight from the socket: large uploads never pass through `buffer`.
        while remaining > 0 {
            let received = receive(limit: remaining)
            guard received > 0 else { return false }
            if core.options.storeBodies { body.append(contentsOf: scratch[0..<received]) }
            remaining -= received
        }
        return true
    }

    private func readBody(of request: LoopbackRequestHead) -> (Data, Int)? {
        var body = Data()
        if request.isChunked {
            var total = 0
            while true {
                guard let sizeLine = readLine() else { return nil }
                let hex = sizeLine.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                guard let size = Int(hex, radix: 16), size >= 0 else { return nil }
                if size == 0 {
                    // Trailer fields, if any, end with an empty line.
                    while let trailer = readLine(), !trailer.isEmpty {}
                    return (body, total)
                }
                guard readExactly(size, into: &body), readLine() != nil else { return nil }
                total += size
            }
        }
        let length = request.contentLength ?? 0
        guard readExactly(length, into: &body) else { return nil }
        return (body, length)
    }

    // MARK: Writing

    /// Sends every byte; false when the client has gone (recorded) or the server stops.
    private func sendAll(_ bytes: [UInt8]) -> Bool {
        #if os(Linux)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        var offset = 0
        while offset < bytes.count {
            if core.isStopped { return false }
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress?.advanced(by: offset), bytes.count - offset, flags) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                continue
            } else {
                core.noteClientClosed()
                return false
            }
        }
        return true
    }

    /// Plays a scripted response; returns whether the connection may serve another request.
    private func play(_ response: ScriptedHTTPResponse, clientWantsClose: Bool) -> Bool {
        let head = LoopbackResponseHead(response, keepAliveAllowed: core.options.keepAlive && !clientWantsClose)
        guard sendAll(head.bytes) else { return false }
        let chunked = response.framing == .chunked
        for step in response.steps {
            switch step {
            case .send(let data):
                guard sendBody(Array(data), chunked: chunked) else { return false }
            case .event(let frame):
                guard sendBody(Array(frame.encoded), chunked: chunked) else { return false }
            case .sleep(let milliseconds):
                pause(milliseconds: milliseconds)
            case .stall:
                stall()
                return false
            case .reset:
                var linger = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
                closeSocket()
                return false
            case .close:
                closeSocket()
                return false
            }
        }
        if chunked, !sendAll(Array("0\r\n\r\n".utf8)) { return false }
        return head.keepAlive
    }

    private func sendBody(_ bytes: [UInt8], chunked: Bool) -> Bool {
        guard chunked else { return sendAll(bytes) }
        // An empty chunk would end the body, so empty steps send nothing.
        guard !bytes.isEmpty else { return true }
        return sendAll(Array("\(String(bytes.count, radix: 16))\r\n".utf8) + bytes + [13, 10])
    }

    private func pause(milliseconds: Int) {
        var remaining = milliseconds
        while remaining > 0, !core.isStopped {
            let slice = min(remaining, 50)
            usleep(useconds_t(slice * 1000))
            remaining -= slice
        }
    }

    /// Sends nothing until the client hangs up (recorded) or the server stops.
    private func stall() {
        while true {
            let received = receive()
            if received > 0 { continue }
            if !core.isStopped { core.noteClientClosed() }
            return
        }
    }

    private func closeSocket() {
        guard isOpen else { return }
        isOpen = false
        systemClose(fd)
    }
}
