import Foundation

extension BackendError {
    /// Turns a provider's HTTP error response into the error a person can act on.
    ///
    /// The provider's own message is taken from the JSON body when it has one of the common shapes
    /// (`{"error":{"message":…}}` from OpenAI, Anthropic and Gemini, a top-level array of those,
    /// `{"error":"…"}`, `{"message":…}`, `{"detail":…}`), otherwise from the text itself.
    /// 401/403 → `.unauthorized` naming `keyVariable`; 429 → `.quotaExceeded`; other 4xx →
    /// `.badRequest` with the provider's message; everything else → `.serverError`.
    public static func fromHTTP(status: Int, body: String, provider: String, keyVariable: String?) -> BackendError {
        let message = providerMessage(in: body) ?? "HTTP \(status) with no message"
        switch status {
        case 401, 403:
            return .unauthorized(provider: provider, status: status, message: message, keyVariable: keyVariable)
        case 429:
            return .quotaExceeded(provider: provider, message: message)
        case 400..<500:
            return .badRequest(provider: provider, status: status, message: message)
        default:
            return .serverError(provider: provider, status: status, message: message)
        }
    }

    /// Same as `fromHTTP(status:body:provider:keyVariable:)` for an `HTTPStatusError`.
    public static func fromHTTP(_ error: HTTPStatusError, provider: String, keyVariable: String?) -> BackendError {
        fromHTTP(status: error.status, body: error.body, provider: provider, keyVariable: keyVariable)
    }

    /// Maps a transport failure: timeouts → `.timeout`, cancellation → `.cancelled`, a body cut
    /// short → `.truncatedStream`, the rest → `.network`.
    public static func fromTransport(_ error: TransportError, provider: String) -> BackendError {
        switch error {
        case .cancelled: .cancelled
        case .timedOut: .timeout(provider: provider, message: error.description)
        case .truncatedResponse: .truncatedStream(provider: provider)
        default: .network(provider: provider, message: error.description)
        }
    }

    /// The provider's error message in `body`, or nil when the body is empty.
    static func providerMessage(in body: String) -> String? {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        if let json = JSONValue.parse(trimmed), let message = message(in: json) {
            return message
        }
        // Plain text (or HTML from a proxy): keep it short enough for one line of output.
        let oneLine = trimmed.split(whereSeparator: \.isNewline).joined(separator: " ")
        return oneLine.count > 500 ? String(oneLine.prefix(500)) + "…" : oneLine
    }

    private static func message(in json: JSONValue) -> String? {
        if case .array(let items) = json, let first = items.first {
            return message(in: first)
        }
        if let error = json["error"] {
            if let text = error.stringValue { return text }
            if let text = error["message"]?.stringValue { return text }
        }
        return json["message"]?.stringValue ?? json["detail"]?.stringValue
    }
}
