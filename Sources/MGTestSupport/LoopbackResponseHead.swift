import Foundation

/// The status line and header block the loopback server sends for a scripted response, with the
/// framing headers it adds.
struct LoopbackResponseHead {
    var bytes: [UInt8]
    /// Whether the connection stays open after the body (when the script runs to its end).
    var keepAlive: Bool

    init(_ response: ScriptedHTTPResponse, keepAliveAllowed: Bool) {
        let present = Set(response.headers.map { $0.name.lowercased() })
        let explicitClose = response.headers.contains {
            $0.name.lowercased() == "connection" && $0.value.lowercased() == "close"
        }
        keepAlive = keepAliveAllowed && !explicitClose && response.framing != .closeDelimited
        var lines = ["HTTP/1.1 \(response.status) \(response.reason ?? ScriptedHTTPResponse.standardReason(for: response.status))"]
        lines += response.headers.map { "\($0.name): \($0.value)" }
        switch response.framing {
        case .contentLength where !present.contains("content-length"):
            let total = response.steps.reduce(0) { sum, step in
                switch step {
                case .send(let data): sum + data.count
                case .event(let frame): sum + frame.encoded.count
                default: sum
                }
            }
            lines.append("Content-Length: \(total)")
        case .declaredContentLength(let length) where !present.contains("content-length"):
            lines.append("Content-Length: \(length)")
        case .chunked where !present.contains("transfer-encoding"):
            lines.append("Transfer-Encoding: chunked")
        default:
            break
        }
        if !keepAlive, !present.contains("connection") {
            lines.append("Connection: close")
        }
        bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}
