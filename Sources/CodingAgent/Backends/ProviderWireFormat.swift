import Foundation

/// Where a provider lives and how to authenticate with it.
public struct ProviderEndpoint: Sendable, Hashable {
    /// Base URL without a trailing slash, e.g. `https://api.openai.com/v1`.
    public var baseURL: String
    /// The API key; `nil` for local servers that need none.
    public var apiKey: String?
    /// Extra header fields sent with every request (e.g. OpenRouter's `HTTP-Referer`).
    public var extraHeaders: [HTTPHeader]

    /// Creates an endpoint; a trailing `/` on `baseURL` is removed.
    public init(baseURL: String, apiKey: String? = nil, extraHeaders: [HTTPHeader] = []) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.extraHeaders = extraHeaders
    }
}

/// One provider's wire format: how a `ModelRequest` becomes an HTTP request, and how its SSE
/// events become `StreamChunk`s. Pure and synchronous, so it is unit-tested without a network.
public protocol ProviderWireFormat: Sendable {
    /// The stream decoder type for this provider.
    associatedtype Decoder: StreamDecoder
    /// The provider's name in errors, e.g. `OpenAI`.
    var providerName: String { get }
    /// The environment variable that holds the key, named in authentication errors.
    var keyVariable: String? { get }
    /// The HTTP request for one streamed model call.
    func httpRequest(for request: ModelRequest) -> HTTPRequest
    /// A fresh decoder for one response stream.
    func makeDecoder() -> Decoder
    /// The request that asks the server about itself (llama.cpp `GET /props`); `nil` when the
    /// provider has no such endpoint.
    func propertiesRequest() -> HTTPRequest?
    /// Reads the answer to `propertiesRequest()`.
    func decodeProperties(_ json: JSONValue) -> ServerProperties?
    /// A whole, non-streamed response (`stream: false`, or a server that ignores `stream: true`)
    /// as the events its stream would have carried; `nil` when this format has no such shape
    /// or `json` is not one.
    func completeResponseEvents(_ json: JSONValue) -> [SSEEvent]?
}

extension ProviderWireFormat {
    /// Only formats that know their provider's non-streamed shape read one.
    public func completeResponseEvents(_ json: JSONValue) -> [SSEEvent]? { nil }

    /// Hosted providers publish no server properties.
    public func propertiesRequest() -> HTTPRequest? { nil }
    /// Hosted providers publish no server properties.
    public func decodeProperties(_ json: JSONValue) -> ServerProperties? { nil }
}

/// Turns one provider's SSE events into `StreamChunk`s, keeping the state a stream needs
/// (open tool calls, usage seen so far, whether the terminal signal arrived).
public protocol StreamDecoder: Sendable {
    /// The chunks for one event; throws `BackendError` for an error the provider reported in-stream.
    mutating func decode(_ event: SSEEvent) throws -> [StreamChunk]
    /// Called when the byte stream ends: the final chunks (usage, finish), or
    /// `BackendError.truncatedStream` when the provider's terminal signal never came.
    mutating func finish() throws -> [StreamChunk]
}

/// Bookkeeping shared by decoders: tool-call indices, usage, finish reason and completion.
struct StreamState: Sendable {
    /// Provider key (index, item id, block index) → our dense tool-call index.
    var toolIndices: [String: Int] = [:]
    /// Tool calls started but not yet ended, in start order.
    var openCalls: [Int] = []
    var callCount = 0
    var usage: TokenUsage?
    var finishReason: FinishReason?
    var isComplete = false
    var finalEmitted = false

    /// Registers a new call for `key` and returns its start chunk.
    mutating func startCall(key: String, id: String?, name: String) -> (Int, StreamChunk) {
        let index = callCount
        callCount += 1
        toolIndices[key] = index
        openCalls.append(index)
        let callID = (id?.isEmpty == false ? id : nil) ?? "call_\(index)"
        return (index, .toolCallStart(index: index, id: callID, name: name))
    }

    /// Ends the call with our `index` if it is open.
    mutating func endCall(_ index: Int) -> [StreamChunk] {
        guard let position = openCalls.firstIndex(of: index) else { return [] }
        openCalls.remove(at: position)
        return [.toolCallEnd(index: index)]
    }

    /// Ends every open call, in start order.
    mutating func endAllCalls() -> [StreamChunk] {
        let ends = openCalls.map { StreamChunk.toolCallEnd(index: $0) }
        openCalls.removeAll()
        return ends
    }

    /// The closing chunks: open calls ended, then usage, then the finish reason (once).
    mutating func finalChunks() -> [StreamChunk] {
        guard !finalEmitted else { return [] }
        finalEmitted = true
        var chunks = endAllCalls()
        if let usage { chunks.append(.usage(usage)) }
        let reason = finishReason ?? (callCount > 0 ? .toolCalls : .stop)
        chunks.append(.finish(reason))
        return chunks
    }

    /// `finish()` for decoders whose terminal signal sets `isComplete`.
    mutating func endOfStream(provider: String) throws -> [StreamChunk] {
        guard isComplete else { throw BackendError.truncatedStream(provider: provider) }
        return finalChunks()
    }
}

/// Parses an SSE event's data as a JSON object, or throws a model error naming the provider.
func decodeEventJSON(_ event: SSEEvent, provider: String) throws -> JSONValue {
    guard let value = JSONValue.parse(event.data), case .object = value else {
        let preview = String(event.data.prefix(200))
        throw BackendError.modelError(
            provider: provider, message: "the stream carried an event that is not a JSON object: \(preview)")
    }
    return value
}

extension JSONValue {
    /// The integer payload when this is a number.
    var wireInt: Int? { numberValue.map { Int($0) } }

    /// The array payload when this is an array.
    var wireArray: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The boolean payload when this is a boolean.
    var wireBool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }
}

extension ProviderEndpoint {
    /// The endpoint's extra headers plus the API key (when there is one) in the provider's auth
    /// header, marked secret so it is never logged.
    func headers(authorization name: String, value: (String) -> String = { $0 }) -> [HTTPHeader] {
        guard let key = apiKey, !key.isEmpty else { return extraHeaders }
        return extraHeaders + [HTTPHeader(name, value(key), isSecret: true)]
    }
}
