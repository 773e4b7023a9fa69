import CCurl
import Foundation
import Synchronization

/// One libcurl transfer on its own thread: an easy handle in a private multi handle, the C
/// callbacks, and the hand-off of headers and body chunks to async Swift.
///
/// Thread use: everything except `cancel()` and the continuation hand-offs runs on the transfer
/// thread; `shared` guards what crosses threads (the cancel flag, the multi handle pointer that
/// `cancel()` wakes, the header continuation).
///
/// `@unchecked Sendable` because of the C handles: the easy handle, header list and error buffer
/// are raw libcurl pointers that only the transfer thread touches, so the compiler cannot see
/// their confinement; everything that crosses threads is in the `Mutex`.
final class CurlTransfer: @unchecked Sendable {
    /// Why the transfer stopped itself (a callback returned "abort").
    enum AbortReason {
        case cancelled, idle, body(TransportError)
    }

    private let request: HTTPRequest
    private let limits: TransferLimits
    private let proxies: ProxySettings
    private let host: String
    private let bodyStream: RequestBodyStream?

    // Transfer-thread state.
    private var easy: UnsafeMutableRawPointer?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var status = 0
    private var headers: [String: String] = [:]
    private var headersDelivered = false
    private var abortReason: AbortReason?
    private var lastActivity = ContinuousClock.now
    private let idleLimit: Duration

    /// State that crosses threads.
    private struct Shared {
        var cancelled = false
        var multi: UnsafeMutableRawPointer?
        var headContinuation: CheckedContinuation<HTTPResponse, any Error>?
    }
    private let shared = Mutex(Shared())

    private let body: AsyncThrowingStream<Data, any Error>
    private let bodyContinuation: AsyncThrowingStream<Data, any Error>.Continuation

    init(request: HTTPRequest, limits: TransferLimits, proxy: ProxySettings) throws(TransportError) {
        self.request = request
        self.limits = limits
        self.proxies = proxy
        host = Self.redactedHost(request.url)
        idleLimit = limits.idleTimeout
        bodyStream = request.body.isEmpty ? nil : try RequestBodyStream(parts: request.body)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        (body, bodyContinuation) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    deinit {
        errorBuffer.deallocate()
    }

    /// `scheme://host:port` of `url`: enough to say where a failure happened, never the query.
    static func redactedHost(_ url: String) -> String {
        guard let components = URLComponents(string: url), let name = components.host else { return "the server" }
        let port = components.port.map { ":\($0)" } ?? ""
        return "\(components.scheme ?? "http")://\(name)\(port)"
    }

    /// Starts the transfer thread; `continuation` receives the response once headers arrive.
    func start(delivering continuation: CheckedContinuation<HTTPResponse, any Error>) {
        shared.withLock { $0.headContinuation = continuation }
        bodyContinuation.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.cancel() }
        }
        let thread = Thread { self.run() }
        thread.name = "mg-http"
        thread.start()
    }

    /// Aborts the transfer from any thread; the transfer thread notices within one poll.
    func cancel() {
        shared.withLock { state in
            state.cancelled = true
            if let multi = state.multi { curl_multi_wakeup(multi) }
        }
    }

    private var isCancelled: Bool { shared.withLock { $0.cancelled } }

    // MARK: Transfer thread

    private func run() {
        let outcome = perform()
        let error = outcome == CURLE_OK ? nil : mapError(outcome)
        let pendingHead = shared.withLock { state in
            defer { state.headContinuation = nil }
            return state.headContinuation
        }
        if let pendingHead {
            pendingHead.resume(throwing: error ?? TransportError.connectionReset(host: host, message: "no response headers arrived"))
        }
        if let error {
            bodyContinuation.finish(throwing: error)
        } else {
            bodyContinuation.finish()
        }
        cleanUp()
    }

    /// Runs the transfer to its end and returns curl's result.
    private func perform() -> CURLcode {
        guard let easyHandle = curl_easy_init() else { return CURLE_FAILED_INIT }
        easy = easyHandle
        let configured = configure(easyHandle)
        guard configured == CURLE_OK else { return configured }
        // Made inside the lock: `cancel()` wakes it from another thread.
        let multiHandle = shared.withLock { state in
            state.multi = curl_multi_init()
            return state.multi
        }
        guard let multiHandle else { return CURLE_FAILED_INIT }
        curl_multi_add_handle(multiHandle, easyHandle)
        lastActivity = .now
        var running: Int32 = 1
        while running > 0 {
            if isCancelled {
                abortReason = .cancelled
                return CURLE_ABORTED_BY_CALLBACK
            }
            let performed = curl_multi_perform(multiHandle, &running)
            guard performed == CURLM_OK else { return CURLE_OUT_OF_MEMORY }
            if running > 0 {
                // Wakes on socket activity, on `cancel()`, or after 100 ms so the progress
                // callback keeps checking idleness.
                curl_multi_poll(multiHandle, nil, 0, 100, nil)
            }
        }
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multiHandle, &remaining) {
            if message.pointee.msg == CURLMSG_DONE { return message.pointee.data.result }
        }
        return CURLE_OK
    }

    private func cleanUp() {
        let multiHandle = shared.withLock { state in
            defer { state.multi = nil }
            return state.multi
        }
        if let multiHandle, let easy { curl_multi_remove_handle(multiHandle, easy) }
        if let easy { curl_easy_cleanup(easy) }
        if let multiHandle { curl_multi_cleanup(multiHandle) }
        if let headerList { curl_slist_free_all(headerList) }
        easy = nil
        headerList = nil
    }

    private func configure(_ handle: UnsafeMutableRawPointer) -> CURLcode {
        let context = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = [
            mg_curl_setopt_string(handle, CURLOPT_URL, request.url),
            mg_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            mg_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            mg_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(limits.totalDeadline)),
            mg_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(limits.connectTimeout)),
            mg_curl_setopt_string(handle, CURLOPT_PROXY, proxies.proxy(for: request.url) ?? ""),
            mg_curl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback),
            mg_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
            mg_curl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback),
            mg_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
            mg_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0),
            mg_curl_setopt_xferinfo_callback(handle, curlProgressCallback),
            mg_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context),
        ]
        if let noProxy = proxies.noProxy {
            codes.append(mg_curl_setopt_string(handle, CURLOPT_NOPROXY, noProxy))
        }
        let method = request.method.uppercased()
        if let bodyStream {
            codes += [
                mg_curl_setopt_long(handle, CURLOPT_POST, 1),
                mg_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyStream.totalSize)),
                mg_curl_setopt_data_callback(handle, CURLOPT_READFUNCTION, curlReadCallback),
                mg_curl_setopt_pointer(handle, CURLOPT_READDATA, context),
            ]
        } else if method == "POST" {
            codes += [
                mg_curl_setopt_long(handle, CURLOPT_POST, 1),
                mg_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, 0),
                mg_curl_setopt_string(handle, CURLOPT_POSTFIELDS, ""),
            ]
        } else if method == "HEAD" {
            codes.append(mg_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        }
        if method != "GET", method != "POST", method != "HEAD" {
            codes.append(mg_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method))
        }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // Without this libcurl waits up to a second for `100 Continue` before large bodies.
        if !request.headers.contains(where: { $0.name.lowercased() == "expect" }) {
            headerList = curl_slist_append(headerList, "Expect:")
        }
        codes.append(mg_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
        return codes.first { $0 != CURLE_OK } ?? CURLE_OK
    }

    /// libcurl reads 0 as "no limit", so a limit is at least 1 ms.
    private static func milliseconds(_ duration: Duration) -> Int { max(1, duration.inMilliseconds) }

    // MARK: Callbacks (transfer thread)

    /// One header line; a blank line ends a header block, and the first final (non-1xx) block is
    /// handed to the caller.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        lastActivity = .now
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            // Status from the last status line: interim 1xx responses come first.
            let fields = line.split(separator: " ", maxSplits: 2)
            status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
            headers = [:]
        } else if line.isEmpty {
            guard status >= 200, !headersDelivered else { return }
            headersDelivered = true
            let response = HTTPResponse(status: status, headers: headers, body: body)
            let continuation = shared.withLock { state in
                defer { state.headContinuation = nil }
                return state.headContinuation
            }
            continuation?.resume(returning: response)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        lastActivity = .now
        bodyContinuation.yield(Data(bytes))
    }

    /// Fills curl's upload buffer; returns the count or `CURL_READFUNC_ABORT`.
    fileprivate func produceBody(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
        lastActivity = .now
        guard let bodyStream else { return 0 }
        guard let count = bodyStream.read(into: buffer) else {
            abortReason = .body(bodyStream.failure ?? .bodyUnreadable(path: "?", message: "read failed"))
            return Int(CURL_READFUNC_ABORT)
        }
        return count
    }

    /// Called by curl at least every poll: returns non-zero to abort (cancelled, or idle too long).
    fileprivate func checkProgress() -> Int32 {
        if isCancelled {
            abortReason = .cancelled
            return 1
        }
        if ContinuousClock.now - lastActivity > idleLimit {
            abortReason = .idle
            return 1
        }
        return 0
    }

    // MARK: Errors

    private func mapError(_ code: CURLcode) -> TransportError {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_ABORTED_BY_CALLBACK:
            switch abortReason {
            case .idle:
                return .timedOut(.idle, host: host, message: "no data for \(limits.idleTimeout)")
            case .body(let error):
                return error
            case .cancelled, nil:
                return .cancelled
            }
        case CURLE_READ_ERROR:
            if case .body(let error) = abortReason { return error }
            return .other(code: Int(code.rawValue), host: host, message: message)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connectionFailed(host: host, message: message)
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING:
            return .connectionReset(host: host, message: message)
        case CURLE_PARTIAL_FILE:
            return .truncatedResponse(host: host, message: message)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(headersDelivered || status > 0 || connected ? .total : .connect, host: host, message: message)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            return .tls(host: host, message: message)
        default:
            return .other(code: Int(code.rawValue), host: host, message: message)
        }
    }

    /// Whether a TCP connection was established (curl reports a non-zero connect time).
    private var connected: Bool {
        guard let easy else { return false }
        var microseconds: curl_off_t = 0
        _ = mg_curl_getinfo_off(easy, CURLINFO_CONNECT_TIME_T, &microseconds)
        return microseconds > 0
    }
}

// C callbacks: `userdata` is the unretained `CurlTransfer`, alive for the whole transfer because
// its thread holds it.

private func transfer(_ pointer: UnsafeMutableRawPointer?) -> CurlTransfer? {
    pointer.map { Unmanaged<CurlTransfer>.fromOpaque($0).takeUnretainedValue() }
}

private let curlHeaderCallback: mg_curl_data_callback = { data, size, count, context in
    transfer(context)?.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let curlWriteCallback: mg_curl_data_callback = { data, size, count, context in
    transfer(context)?.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let curlReadCallback: mg_curl_data_callback = { data, size, count, context in
    guard let transfer = transfer(context) else { return Int(CURL_READFUNC_ABORT) }
    return transfer.produceBody(UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

private let curlProgressCallback: mg_curl_xferinfo_callback = { context, _, _, _, _ in
    transfer(context)?.checkProgress() ?? 1
}
