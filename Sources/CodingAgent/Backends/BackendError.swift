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
    /// The transfer was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .unauthorized(let provider, let status, let message, let keyVariable):
            let hint = keyVariable.map { " Check \($0) (or `api_key` in the config)." } ?? ""
            return "\(provider) refused the credentials (HTTP \(status)): \(message).\(hint)"
        case .quotaExceeded(let provider, let message):
            return "\(provider) rate limit or quota exceeded: \(message). Wait and retry, or check the account's billing."
        case .badRequest(let provider, let status, let message):
            return "\(provider) rejected the request (HTTP \(status)): \(message)"
        case .serverError(let provider, let status, let message):
            return "\(provider) failed (HTTP \(status)) after retries: \(message)"
        case .network(let provider, let message):
            return "Could not reach \(provider): \(message). Check the network, `base_url` and proxy settings."
        case .timeout(let provider, let message):
            return "\(provider) timed out: \(message)"
        case .truncatedStream(let provider):
            return "\(provider) closed the stream before finishing its answer."
        case .modelError(let provider, let message):
            return "\(provider) model error: \(message)"
        case .cancelled:
            return "The request was cancelled."
        }
    }
}
