import Foundation

/// The request line and header fields of one HTTP/1.1 request, as the loopback server parsed them.
struct LoopbackRequestHead {
    var method: String
    var target: String
    var version: String
    var headers: [RecordedHeader]

    /// Parses the bytes before the blank line; nil when the request line is malformed.
    init?(parsing head: [UInt8]) {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        guard let requestLine = lines.first else { return nil }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/") else { return nil }
        method = String(parts[0])
        target = String(parts[1])
        version = String(parts[2])
        headers = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(RecordedHeader(name: name, value: value))
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var isChunked: Bool {
        header("Transfer-Encoding")?.lowercased().contains("chunked") ?? false
    }

    var contentLength: Int? {
        header("Content-Length").flatMap { Int($0) }
    }

    var expectsContinue: Bool {
        header("Expect")?.lowercased() == "100-continue"
    }

    /// HTTP/1.0 closes by default; HTTP/1.1 only when asked.
    var wantsClose: Bool {
        let connection = header("Connection")?.lowercased()
        if version == "HTTP/1.0" { return connection != "keep-alive" }
        return connection == "close"
    }
}
