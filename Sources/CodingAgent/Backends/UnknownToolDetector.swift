import Foundation

/// Recognises a local server's HTTP 5xx that really means "the model produced a bad tool call".
///
/// llama.cpp, Ollama and vLLM parse the model's tool-call text on the server; when a small model
/// invents a tool name or emits malformed call syntax, some of them answer HTTP 500 instead of
/// returning the text. Retrying the same request usually fails the same way; what helps is
/// telling the model which tools exist. So such a 500 becomes `BackendError.toolCallRejected`
/// with a corrective message, and ordinary 500s stay transport errors.
public enum UnknownToolDetector {
    /// The rejection for `body`, or `nil` when the error does not look like a tool-call failure.
    /// Two signals count: the body names a tool that is not among `tools`, or it reports a failure
    /// to parse a tool/function call.
    public static func classify(
        status: Int, body: String, tools: [ToolDefinition], provider: String
    ) -> BackendError? {
        guard (500...599).contains(status), !tools.isEmpty else { return nil }
        let lower = body.lowercased()
        guard lower.contains("tool") || lower.contains("function") else { return nil }
        let known = Set(tools.map(\.name))
        let available = tools.map(\.name).joined(separator: ", ")
        let message = String(errorMessage(body).prefix(300))
        if let invented = (mentionedNames(in: message) + mentionedNames(in: body)).first(where: {
            !known.contains($0) && looksLikeToolName($0)
        }),
            lower.contains("unknown") || lower.contains("not found") || lower.contains("invalid")
                || lower.contains("does not exist") || lower.contains("not exist")
                || lower.contains("no tool")
                || lower.contains("not available") || lower.contains("unsupported")
        {
            return .toolCallRejected(
                provider: provider, message: message,
                correction: "Your previous reply called a tool named \"\(invented)\", which does not exist. "
                    + "The only tools available are: \(available). Call one of them with valid JSON arguments, or answer in text."
            )
        }
        let parseFailure = [
            "failed to parse", "parse tool", "parsing tool", "tool call pars", "error parsing",
            "could not parse",
            "invalid tool call", "malformed",
        ]
        if parseFailure.contains(where: { lower.contains($0) }) {
            return .toolCallRejected(
                provider: provider, message: message,
                correction:
                    "Your previous tool call could not be parsed by the server. Call exactly one of these tools "
                    + "with a JSON object of arguments: \(available). Do not invent other tool names.")
        }
        return nil
    }

    /// Names quoted in the body with `'`, `"` or backticks (tool names in server messages are).
    static func mentionedNames(in body: String) -> [String] {
        var names: [String] = []
        for quote in ["'", "\"", "`", "\\\""] {
            let pieces = body.components(separatedBy: quote)
            guard pieces.count >= 3 else { continue }
            for index in stride(from: 1, to: pieces.count - 1, by: 2) {
                names.append(pieces[index])
            }
        }
        return names
    }

    static func looksLikeToolName(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 64 else { return false }
        let words = [
            "error", "message", "type", "code", "param", "server_error", "tool", "function", "name",
            "arguments",
        ]
        if words.contains(text.lowercased()) { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
    }

    /// The `error.message` of a JSON error body, else the body itself.
    static func errorMessage(_ body: String) -> String {
        guard let json = JSONValue.parse(body) else { return body }
        return json["error"]?["message"]?.stringValue ?? json["error"]?.stringValue ?? json["message"]?
            .stringValue ?? body
    }
}
