import Foundation

/// Recognises tool calls that a model wrote into its text instead of the tool-call channel.
///
/// Small local models (llama.cpp, Ollama, vLLM) often answer with
/// `{"name": "read_file", "arguments": {"path": "a"}}` — with `parameters` instead of
/// `arguments`, arguments as a JSON string, inside a ```json fence, inside Qwen/Hermes
/// `<tool_call>` tags, as a list, or as OpenAI's `{"function": {...}}` shape. Only objects
/// naming an offered tool count, so JSON that merely appears in an answer is left alone.
public enum BareToolCallParser {
    /// A call found in the text.
    public struct Found: Sendable, Hashable {
        /// The tool's name.
        public var name: String
        /// The arguments as JSON text.
        public var arguments: String
    }

    /// The calls in `text` naming tools in `offered`, and the text left after removing them;
    /// `nil` when the text holds no such call.
    public static func parse(_ text: String, offered: Set<String>) -> (calls: [Found], remainingText: String)? {
        var calls: [Found] = []
        var remaining = ""
        var cursor = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "{" || character == "[", let end = balancedEnd(in: text, from: index) else {
                index = text.index(after: index)
                continue
            }
            let candidate = String(text[index..<end])
            if let value = JSONValue.parse(candidate), let found = toolCalls(in: value, offered: offered), !found.isEmpty {
                calls += found
                remaining += text[cursor..<index]
                cursor = end
                index = end
            } else {
                index = text.index(after: index)
            }
        }
        guard !calls.isEmpty else { return nil }
        remaining += text[cursor...]
        return (calls, cleanLeftovers(remaining))
    }

    /// The calls a parsed JSON value describes, or `nil` if any element is not a call of an offered tool.
    private static func toolCalls(in value: JSONValue, offered: Set<String>) -> [Found]? {
        switch value {
        case .array(let items):
            guard !items.isEmpty else { return nil }
            var found: [Found] = []
            for item in items {
                guard let call = toolCall(in: item, offered: offered) else { return nil }
                found.append(call)
            }
            return found
        case .object:
            return toolCall(in: value, offered: offered).map { [$0] }
        default:
            return nil
        }
    }

    private static func toolCall(in value: JSONValue, offered: Set<String>) -> Found? {
        if let function = value["function"], case .object = function { return toolCall(in: function, offered: offered) }
        guard case .object(let object) = value else { return nil }
        guard let name = (object["name"] ?? object["tool"] ?? object["tool_name"])?.stringValue, offered.contains(name) else {
            return nil
        }
        let arguments = object["arguments"] ?? object["parameters"] ?? object["args"] ?? object["input"] ?? .object([:])
        switch arguments {
        case .string(let text):
            // Arguments encoded as a JSON string, as in OpenAI's wire format.
            guard let parsed = JSONValue.parseArguments(text), case .object = parsed else { return nil }
            return Found(name: name, arguments: parsed.jsonText)
        case .object, .null:
            return Found(name: name, arguments: arguments == .null ? "{}" : arguments.jsonText)
        default:
            return nil
        }
    }

    /// The index just past the bracket that closes the one at `start`, skipping string contents.
    private static func balancedEnd(in text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var inString = false
        var escaped = false
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if inString {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                }
            } else {
                switch character {
                case "\"": inString = true
                case "{", "[": depth += 1
                case "}", "]":
                    depth -= 1
                    if depth == 0 { return text.index(after: index) }
                default: break
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Removes the empty fences and tags the calls were wrapped in.
    private static func cleanLeftovers(_ text: String) -> String {
        var result = text
        for pattern in [#"```[a-zA-Z]*\s*```"#, #"<tool_call>\s*</tool_call>"#, #"</?tool_call>"#, #"<\|?/?tool_call\|?>"#] {
            result = result.replacingOccurrences(of: pattern, with: "", options: .regularExpression)
        }
        return result.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
