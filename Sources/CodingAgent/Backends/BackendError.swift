import Foundation

/// What went wrong talking to a model provider, with what to do about it.
public enum BackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 401/403: the key is missing, wrong or lacks access. `keyVariable` names the env var to check.
    case unauthorized(provider: String, status: Int, message: String, keyVariable: String?)
    /// 429 with a quota/billing reason, or retries exhausted on rate limits.
    case quotaExceeded(provider: String, message: String)
    /// 400/404/422: the request was rejected; `message` is the provider's own words.
    case badRequest(provider: String, status: Int, message: String)
    /// 5xx after all retries.
    case serverError(provider: String, status: Int, message: String)
    /// Connection refused/reset, DNS, TLS, proxy problems.
    case network(provider: String, message: String)
    /// No byte arrived within the idle timeout, or the total deadline passed.
    case timeout(provider: String, message: String)
    /// The stream ended before the provider said it was finished.
    case truncatedStream(provider: String)
    /// The model produced something unusable (e.g. an unknown tool the server rejected).
    case modelError(provider: String, message: String)
    /// The server rejected a tool call the model made up (a local server's HTTP 500 over an
    /// unknown tool name or an unparsable call). Retry the turn after appending `correction`
    /// (a user message telling the model which tools exist) to the conversation.
    case toolCallRejected(provider: String, message: String, correction: String)
    /// The transfer was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .unauthorized(let provider, let status, let message, let keyVariable):
            let hint = keyVariable.map { " Check \($0) (or `api_key` in the config)." } ?? ""
            return "\(provider) refused the credentials (HTTP \(status)): \(message).\(hint)"
        case .quotaExceeded(let provider, let message):
            return "\(provider) rate limit or quota exceeded: \(message). Wait and retry, or check the account's billing."
        case .badRequest(let provider, let status, let message) where (200..<300).contains(status):
            // A success status whose body is no model response (an HTML page, a non-streamed reply).
            return "\(provider) answered (HTTP \(status)), but not as a model API: \(message)."
        case .badRequest(let provider, let status, let message):
            return "\(provider) rejected the request (HTTP \(status)): \(message)"
        case .serverError(let provider, let status, let message):
            return "\(provider) failed (HTTP \(status)) after retries: \(message)"
        case .network(let provider, let message):
            // The transport's own message may already say what to check; say it once.
            let text = message.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            let hint = text.contains("proxy settings") ? "." : ". Check the network, `base_url` and proxy settings."
            return "Could not reach \(provider): \(text)\(hint)"
        case .timeout(let provider, let message):
            return "\(provider) timed out: \(message)"
        case .truncatedStream(let provider):
            return "\(provider) closed the stream before finishing its answer."
        case .modelError(let provider, let message):
            return "\(provider) model error: \(message)"
        case .toolCallRejected(let provider, let message, _):
            return "\(provider) rejected a tool call the model invented: \(message)"
        case .cancelled:
            return "The request was cancelled."
        }
    }
}

extension BackendError {
    /// True when the backend could not be used at all — unreachable, refusing the credentials,
    /// out of quota, failing or silent — as opposed to a model that misbehaved: a session whose
    /// every agent failed this way is a backend failure (exit 69), not a failed task.
    public var isUnavailable: Bool {
        switch self {
        case .unauthorized, .quotaExceeded, .serverError, .network, .timeout: return true
        case .badRequest, .truncatedStream, .modelError, .toolCallRejected, .cancelled: return false
        }
    }

    /// True for a model error the agent loop should answer by appending `correctiveMessage` to the
    /// conversation and calling the model again (counting it as a step, not a transport retry).
    public var isRetryableWithCorrection: Bool {
        if case .toolCallRejected = self { return true }
        return false
    }

    /// True when the provider refused the request because the conversation is longer than the
    /// model's context window (OpenAI/vLLM "maximum context length", `context_length_exceeded`;
    /// Anthropic "prompt is too long"; Gemini "input token count … exceeds"; llama.cpp "exceeds
    /// the available context size"). The agent loop shrinks the conversation and tries again.
    public var isContextOverflow: Bool {
        let message: String
        switch self {
        case .badRequest(_, _, let text), .modelError(_, let text), .serverError(_, _, let text): message = text.lowercased()
        default: return false
        }
        return Self.contextOverflowPhrases.contains { message.contains($0) }
    }

    static let contextOverflowPhrases = [
        "context_length_exceeded", "maximum context length", "context length exceeded", "prompt is too long",
        "exceeds the available context size", "exceeds the context window", "context window exceeded",
        "input token count", "too many tokens", "input is too long", "reduce the length of the messages",
    ]

    /// The user message to append before retrying, for `isRetryableWithCorrection` errors.
    public var correctiveMessage: String? {
        if case .toolCallRejected(_, _, let correction) = self { return correction }
        return nil
    }
}
