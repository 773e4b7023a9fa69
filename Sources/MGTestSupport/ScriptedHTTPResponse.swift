import Foundation

/// What the `LoopbackHTTPServer` sends back for one request: a status line, headers, and a
/// script of body steps that may include faults (stalls, resets, truncation).
///
/// ```swift
/// // A streamed answer that arrives in tiny pieces, then ends cleanly.
/// ScriptedHTTPResponse.sse([SSEFrame(data: #"{"x":1}"#), SSEFrame(data: "[DONE]")], pieceSize: 3)
/// // A stream that dies with a TCP reset after the first event.
/// ScriptedHTTPResponse(status: 200, headers: [("Content-Type", "text/event-stream")],
///                      framing: .chunked, steps: [.event(SSEFrame(data: "a")), .reset])
/// ```
public struct ScriptedHTTPResponse: Sendable {
    /// How the end of the response body is marked on the wire.
    public enum Framing: Sendable, Hashable {
        /// `Content-Length` = the total size of every `.send`/`.event` step in the script.
        case contentLength
        /// `Content-Length` with the given value, whatever the steps send: declare more than is
        /// sent and end with `.close` to produce a truncated body.
        case declaredContentLength(Int)
        /// `Transfer-Encoding: chunked`; each `.send`/`.event` step is one chunk. The terminating
        /// zero-size chunk is sent only when the script runs to its end (not after `.close`/`.reset`).
        case chunked
        /// No length: the body ends when the server closes the connection (`Connection: close`).
        case closeDelimited
    }

    /// One step of the body script, run in order.
    public enum Step: Sendable, Hashable {
        /// Send these bytes (one chunk under chunked framing).
        case send(Data)
        /// Send one Server-Sent Event, encoded by `SSEFrame.encoded`.
        case event(SSEFrame)
        /// Pause; the connection stays open. Interrupted by `stop()`.
        case sleep(milliseconds: Int)
        /// Hold the connection open, sending nothing, until the client hangs up or the server
        /// stops. Steps after a stall never run. Use it to provoke idle timeouts.
        case stall
        /// Abort the connection with a TCP RST (`SO_LINGER` 0): the client sees "connection reset".
        case reset
        /// Close the connection normally (FIN) right now, leaving the body unfinished for chunked
        /// and declared-length framing; for close-delimited framing the body simply ends here.
        case close
    }

    /// The status code, e.g. 200 or 429.
    public var status: Int
    /// The reason phrase; nil uses the standard one (`OK`, `Too Many Requests`, …).
    public var reason: String?
    /// Header lines sent as given. The server adds `Content-Length`/`Transfer-Encoding`/`Connection`
    /// from `framing` unless a header of that name is already here.
    public var headers: [RecordedHeader]
    /// How the body's end is marked.
    public var framing: Framing
    /// The body script.
    public var steps: [Step]

    /// Creates a response from parts. `headers` are `(name, value)` pairs.
    public init(
        status: Int, reason: String? = nil, headers: [(String, String)] = [], framing: Framing = .contentLength,
        steps: [Step] = []
    ) {
        self.status = status
        self.reason = reason
        self.headers = headers.map { RecordedHeader(name: $0.0, value: $0.1) }
        self.framing = framing
        self.steps = steps
    }

    /// A complete response with a fixed body and `Content-Length`.
    public static func bytes(
        status: Int = 200, contentType: String = "application/octet-stream", _ body: Data,
        headers: [(String, String)] = []
    ) -> ScriptedHTTPResponse {
        ScriptedHTTPResponse(
            status: status, headers: [("Content-Type", contentType)] + headers, framing: .contentLength,
            steps: [.send(body)])
    }

    /// A complete plain-text response.
    public static func text(status: Int = 200, _ body: String, headers: [(String, String)] = []) -> ScriptedHTTPResponse {
        bytes(status: status, contentType: "text/plain; charset=utf-8", Data(body.utf8), headers: headers)
    }

    /// A complete JSON response; `json` is sent verbatim.
    public static func json(status: Int = 200, _ json: String, headers: [(String, String)] = []) -> ScriptedHTTPResponse {
        bytes(status: status, contentType: "application/json", Data(json.utf8), headers: headers)
    }

    /// A `text/event-stream` response with chunked framing, as providers stream.
    ///
    /// - Parameters:
    ///   - events: the events, in order.
    ///   - pieceSize: when set, the encoded stream is cut into pieces of this many bytes (cutting
    ///     through lines and multi-byte characters), each sent separately with `pauseMilliseconds`
    ///     between them so the client receives many small reads.
    ///   - pauseMilliseconds: pause between pieces (only with `pieceSize`).
    ///   - ending: what happens after the last event: nothing (the chunked body ends properly),
    ///     or a fault such as `.close`, `.reset` or `.stall`.
    public static func sse(
        _ events: [SSEFrame], pieceSize: Int? = nil, pauseMilliseconds: Int = 1, ending: Step? = nil
    ) -> ScriptedHTTPResponse {
        var steps: [Step]
        if let pieceSize {
            var stream = Data()
            for event in events { stream.append(event.encoded) }
            steps = Step.pieces(of: stream, size: pieceSize, pauseMilliseconds: pauseMilliseconds)
        } else {
            steps = events.map { Step.event($0) }
        }
        if let ending { steps.append(ending) }
        return ScriptedHTTPResponse(
            status: 200, headers: [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache")],
            framing: .chunked, steps: steps)
    }

    /// The standard reason phrase for `status`, or "Status" when unknown.
    static func standardReason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}

extension ScriptedHTTPResponse.Step {
    /// `data` cut into `.send` steps of `size` bytes with a `.sleep` between them.
    public static func pieces(of data: Data, size: Int, pauseMilliseconds: Int = 1) -> [Self] {
        let size = max(1, size)
        var steps: [Self] = []
        var start = data.startIndex
        while start < data.endIndex {
            let end = data.index(start, offsetBy: size, limitedBy: data.endIndex) ?? data.endIndex
            if !steps.isEmpty, pauseMilliseconds > 0 { steps.append(.sleep(milliseconds: pauseMilliseconds)) }
            steps.append(.send(Data(data[start..<end])))
            start = end
        }
        return steps
    }
}

/// A Server-Sent Event as the test server writes it (the client side parses into its own type).
public struct SSEFrame: Sendable, Hashable {
    /// The `event:` field, or nil to omit it.
    public var event: String?
    /// The payload; each line becomes one `data:` line.
    public var data: String
    /// The `id:` field, or nil to omit it.
    public var id: String?

    /// Creates an event.
    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }

    /// The wire form: `event:`/`id:` lines, one `data:` line per line of `data`, then a blank line.
    public var encoded: Data {
        var text = ""
        if let event { text += "event: \(event)\n" }
        if let id { text += "id: \(id)\n" }
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line)\n"
        }
        text += "\n"
        return Data(text.utf8)
    }
}
