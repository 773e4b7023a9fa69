import Foundation
import MGTestSupport
import Testing

@testable import CodingAgent

/// Reads recorded provider requests the way each provider would: where the key must be, which
/// tool calls have results, and the base64 payloads of media parts.
extension ProviderDialect {
    /// The path prefix of the dialect's endpoint on a test server.
    var basePath: String { self == .gemini ? "/v1beta" : "/v1" }

    /// The request path for `model`.
    func path(model: String) -> String {
        switch self {
        case .chat: "/v1/chat/completions"
        case .responses: "/v1/responses"
        case .anthropic: "/v1/messages"
        case .gemini: "/v1beta/models/\(model):streamGenerateContent"
        }
    }

    /// The environment variable named in auth errors.
    var keyVariable: String {
        switch self {
        case .chat, .responses: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        case .gemini: "GEMINI_API_KEY"
        }
    }

    /// The header that must carry the key, and its value for `key`.
    func authHeader(_ key: String) -> (String, String) {
        switch self {
        case .chat, .responses: ("Authorization", "Bearer " + key)
        case .anthropic: ("x-api-key", key)
        case .gemini: ("x-goog-api-key", key)
        }
    }

    /// A backend of this dialect talking to `server`.
    func backend(
        server: LoopbackHTTPServer, key: String, retry: RetryPolicy, limits: TransferLimits
    ) -> any ModelBackend {
        let endpoint = ProviderEndpoint(baseURL: server.baseURL + basePath, apiKey: key)
        let transport = LibcurlTransport(environment: [:])
        switch self {
        case .chat:
            return OpenAIChatBackend(
                format: OpenAIChatFormat(endpoint: endpoint), transport: transport, limits: limits,
                retry: retry, displayName: "chat")
        case .responses:
            return OpenAIResponsesBackend(
                format: OpenAIResponsesFormat(endpoint: endpoint), transport: transport, limits: limits,
                retry: retry, displayName: "responses")
        case .anthropic:
            return AnthropicBackend(
                format: AnthropicFormat(endpoint: endpoint), transport: transport, limits: limits,
                retry: retry, displayName: "anthropic")
        case .gemini:
            return GeminiBackend(
                format: GeminiFormat(endpoint: endpoint), transport: transport, limits: limits, retry: retry,
                displayName: "gemini")
        }
    }

    /// A price-table model name for this dialect.
    var model: String {
        switch self {
        case .chat: "gpt-4o-mini"
        case .responses: "gpt-4.1-mini"
        case .anthropic: "claude-sonnet-4-20250514"
        case .gemini: "gemini-2.5-flash"
        }
    }

    /// Tool calls without a result after them, as the provider would see the conversation.
    func unansweredToolCalls(_ body: [String: Any]) -> [String] {
        var pending: [String] = []
        func answer(_ id: String) { if let index = pending.firstIndex(of: id) { pending.remove(at: index) } }
        switch self {
        case .chat:
            for message in body["messages"] as? [[String: Any]] ?? [] {
                for call in message["tool_calls"] as? [[String: Any]] ?? [] {
                    pending.append(call["id"] as? String ?? "?")
                }
                if let id = message["tool_call_id"] as? String { answer(id) }
            }
        case .responses:
            for item in body["input"] as? [[String: Any]] ?? [] {
                if item["type"] as? String == "function_call" {
                    pending.append(item["call_id"] as? String ?? "?")
                }
                if item["type"] as? String == "function_call_output", let id = item["call_id"] as? String {
                    answer(id)
                }
            }
        case .anthropic:
            for message in body["messages"] as? [[String: Any]] ?? [] {
                for block in message["content"] as? [[String: Any]] ?? [] {
                    if block["type"] as? String == "tool_use" {
                        pending.append(block["id"] as? String ?? "?")
                    }
                    if block["type"] as? String == "tool_result", let id = block["tool_use_id"] as? String {
                        answer(id)
                    }
                }
            }
        case .gemini:
            // Gemini matches by name and order: each functionCall turn must be followed by as many responses.
            for content in body["contents"] as? [[String: Any]] ?? [] {
                for part in content["parts"] as? [[String: Any]] ?? [] {
                    if let call = part["functionCall"] as? [String: Any] {
                        pending.append(call["name"] as? String ?? "?")
                    }
                    if let response = part["functionResponse"] as? [String: Any],
                        let name = response["name"] as? String
                    {
                        answer(name)
                    }
                }
            }
        }
        return pending
    }

    /// The base64 payloads of the image and audio parts in a request body (the data URI head
    /// stripped), keyed by media kind, as the provider would decode them.
    func mediaPayloads(_ body: [String: Any]) -> [String: [String]] {
        var found: [String: [String]] = [:]
        func add(_ kind: String, _ text: String?) {
            guard var text else { return }
            if text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") {
                text = String(text[text.index(after: comma)...])
            }
            found[kind, default: []].append(text)
        }
        switch self {
        case .chat:
            for message in body["messages"] as? [[String: Any]] ?? [] {
                for part in message["content"] as? [[String: Any]] ?? [] {
                    if part["type"] as? String == "image_url" {
                        add("image", (part["image_url"] as? [String: Any])?["url"] as? String)
                    }
                    if part["type"] as? String == "input_audio" {
                        add("audio", (part["input_audio"] as? [String: Any])?["data"] as? String)
                    }
                }
            }
        case .responses:
            for item in body["input"] as? [[String: Any]] ?? [] {
                for part in item["content"] as? [[String: Any]] ?? []
                where part["type"] as? String == "input_image" {
                    add("image", part["image_url"] as? String)
                }
            }
        case .anthropic:
            for message in body["messages"] as? [[String: Any]] ?? [] {
                for block in message["content"] as? [[String: Any]] ?? []
                where block["type"] as? String == "image" {
                    add("image", (block["source"] as? [String: Any])?["data"] as? String)
                }
            }
        case .gemini:
            for content in body["contents"] as? [[String: Any]] ?? [] {
                for part in content["parts"] as? [[String: Any]] ?? [] {
                    guard let inline = part["inline_data"] as? [String: Any],
                        let mime = inline["mime_type"] as? String
                    else { continue }
                    add(String(mime.split(separator: "/")[0]), inline["data"] as? String)
                }
            }
        }
        return found
    }

    /// Which media kinds the provider is expected to receive natively (the rest become text).
    var nativeMedia: Set<String> {
        switch self {
        case .chat, .gemini: ["image", "audio"]
        case .responses, .anthropic: ["image"]
        }
    }
}

/// A thread-safe box for values a `@Sendable` closure records.
final class Recorder<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func append(_ value: Value) { lock.withLock { values.append(value) } }
    var all: [Value] { lock.withLock { values } }
}

/// Collects a backend's stream: every chunk, and the error it ended with, if any.
func collect(_ stream: AsyncThrowingStream<StreamChunk, any Error>) async -> (
    chunks: [StreamChunk], error: (any Error)?
) {
    var chunks: [StreamChunk] = []
    do {
        for try await chunk in stream { chunks.append(chunk) }
        return (chunks, nil)
    } catch {
        return (chunks, error)
    }
}
