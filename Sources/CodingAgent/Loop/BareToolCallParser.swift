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
    ///
    /// With `allowingInvented`, an object of exactly the call shape (`name` and an `arguments`
    /// or `parameters` object) counts even when it names a tool that does not exist: a model told
    /// to write calls as text meant it as one, and the tool result then lists the real tools.
    /// Raw line breaks and tabs inside JSON strings (small models write file contents that way)
    /// are read as if escaped.
    public static func parse(
        _ text: String, offered: Set<String>, allowingInvented: Bool = false
    ) -> (calls: [Found], remainingText: String)? {
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
            if let value = JSONValue.parse(candidate) ?? JSONValue.parse(escapingControlCharacters(candidate)),
                let found = toolCalls(in: value, offered: offered, allowingInvented: allowingInvented), !found.isEmpty
            {
                calls += found
                remaining += text[cursor..<index]
                cursor = end
                index = end
            } else {
                index = text.index(after: index)
            }
        }
        if calls.isEmpty, let repaired = repairedCall(in: text, offered: offered, allowingInvented: allowingInvented) {
            return ([repaired.call], cleanLeftovers(repaired.remaining))
        }
        guard !calls.isEmpty else { return nil }
        remaining += text[cursor...]
        return (calls, cleanLeftovers(remaining))
    }

    /// A call a small model broke while writing a file's content into its last string argument
    /// — unescaped quotes (a Python docstring), raw line breaks, the closing `"}}` missing
    /// because its Markdown fence ended the reply — read by taking that argument to the end of
    /// the call: up to the last `"}}`, else to the end of the reply less its closing fence.
    static func repairedCall(
        in text: String, offered: Set<String>, allowingInvented: Bool
    ) -> (call: Found, remaining: String)? {
        // `{"name": "x", "arguments": {…` (nested), or `{"name": "x", "key": …` (flat, as the
        // 1.5B model also writes it).
        let head = #"\{\s*"name"\s*:\s*"([A-Za-z_][A-Za-z0-9_.-]*)"\s*,\s*("(?:arguments|parameters)"\s*:\s*\{)?"#
        guard let headRegex = try? Regex(head), let keyRegex = try? Regex(#""([A-Za-z_]+)"\s*:\s*""#),
            let match = text.firstMatch(of: headRegex),
            let name = match.output[1].substring.map(String.init)
        else { return nil }
        let nested = match.output[2].substring != nil
        let arguments = text[match.range.upperBound...]
        guard let key = arguments.matches(of: keyRegex).last, let keyName = key.output[1].substring else { return nil }
        let earlier = arguments[..<key.range.lowerBound]
        var value = String(arguments[key.range.upperBound...])
        let closing = nested ? #""\s*\}\s*\}"# : #""\s*\}"#
        if let close = value.range(of: closing, options: [.regularExpression, .backwards]) {
            value = String(value[..<close.lowerBound])
        } else {
            while true {
                value = String(value.reversed().drop(while: \.isWhitespace).reversed())
                if value.hasSuffix("```"), value.components(separatedBy: "```").count.isMultiple(of: 2) {
                    value.removeLast(3)
                } else if value.hasSuffix("}") {
                    value.removeLast()
                } else {
                    break
                }
            }
            if value.hasSuffix("\""), !value.hasSuffix("\\\"") { value.removeLast() }
        }
        var escaped = ""
        var previousBackslash = false
        for character in value {
            escaped += character == "\"" && !previousBackslash ? "\\\"" : String(character)
            previousBackslash = character == "\\" && !previousBackslash
        }
        let prefix = "{\"name\": \"\(name)\", \"arguments\": {" + earlier + "\"\(keyName)\": "
        let candidates = [
            prefix + escapingControlCharacters("\"" + escaped + "\"") + "}}", prefix + JSONValue.string(value).jsonText + "}}",
        ]
        for candidate in candidates {
            guard let parsed = JSONValue.parse(candidate),
                let found = toolCalls(in: parsed, offered: offered, allowingInvented: allowingInvented), found.count == 1
            else { continue }
            return (found[0], String(text[..<match.range.lowerBound]))
        }
        return nil
    }

    /// The calls a parsed JSON value describes, or `nil` if any element is not a call of an offered tool.
    private static func toolCalls(in value: JSONValue, offered: Set<String>, allowingInvented: Bool) -> [Found]? {
        switch value {
        case .array(let items):
            guard !items.isEmpty else { return nil }
            var found: [Found] = []
            for item in items {
                guard let call = toolCall(in: item, offered: offered, allowingInvented: allowingInvented) else { return nil }
                found.append(call)
            }
            return found
        case .object:
            return toolCall(in: value, offered: offered, allowingInvented: allowingInvented).map { [$0] }
        default:
            return nil
        }
    }

    private static func toolCall(in value: JSONValue, offered: Set<String>, allowingInvented: Bool) -> Found? {
        if let function = value["function"], case .object = function {
            return toolCall(in: function, offered: offered, allowingInvented: allowingInvented)
        }
        guard case .object(let object) = value else { return nil }
        guard let name = (object["name"] ?? object["tool"] ?? object["tool_name"])?.stringValue else { return nil }
        if !offered.contains(name) {
            let callShaped: Bool
            switch object["arguments"] ?? object["parameters"] {
            case .object?: callShaped = object["name"] != nil && object.count == 2
            default: callShaped = false
            }
            guard allowingInvented, callShaped, !name.isEmpty, name.count <= 64 else { return nil }
        }
        // Without an arguments object, the other keys are the arguments (`{"name": "new_answer",
        // "content": "…"}`, as the 1.5B model writes it).
        let rest = object.filter { !["name", "tool", "tool_name", "type", "id"].contains($0.key) }
        let arguments = object["arguments"] ?? object["parameters"] ?? object["args"] ?? object["input"] ?? .object(rest)
        switch arguments {
        case .string(let text):
            // Arguments encoded as a JSON string, as in OpenAI's wire format.
            guard let parsed = JSONValue.parseArguments(text), case .object = parsed else { return nil }
            return Found(name: name, arguments: parsed.jsonText)
        case .object:
            return Found(name: name, arguments: arguments.jsonText)
        case .null:
            return Found(name: name, arguments: "{}")
        default:
            return nil
        }
    }

    /// The index just past the bracket that closes the one at `start`, skipping string contents.
    private static func balancedEnd(in text: String, from start: String.Index) -> String.Index? {
        var depth = 0
        var strings = JSONStringTracker()
        var index = start
        while index < text.endIndex {
            let character = text[index]
            if !strings.feed(character) {
                switch character {
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

    /// The code inside `text` when all of it is one fenced block (the closing fence may repeat
    /// the language, as small models write it); `nil` otherwise.
    static func unwrappingFence(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("```"), let firstBreak = trimmed.firstIndex(of: "\n"),
            let lastFence = trimmed.range(of: "```", options: .backwards), lastFence.lowerBound > firstBreak,
            !trimmed[trimmed.index(after: firstBreak)..<lastFence.lowerBound].contains("```"),
            trimmed[lastFence.upperBound...].allSatisfy({ $0.isLetter })
        else { return nil }
        var code = String(trimmed[trimmed.index(after: firstBreak)..<lastFence.lowerBound])
        if !code.hasSuffix("\n") { code += "\n" }
        return code
    }

    /// `json` with raw control characters inside string literals escaped (`\n`, `\t`, `\r`).
    static func escapingControlCharacters(_ json: String) -> String {
        var out = ""
        var strings = JSONStringTracker()
        for character in json {
            let wasInString = strings.isInString
            if strings.feed(character), wasInString {
                switch character {
                case "\n", "\r\n": out += "\\n"
                case "\t": out += "\\t"
                case "\r": out += "\\r"
                default: out.append(character)
                }
            } else {
                out.append(character)
            }
        }
        return out
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

/// Follows JSON text character by character to tell string contents from structure.
struct JSONStringTracker {
    private(set) var isInString = false
    private var escaped = false

    /// Feeds the next character; true when it belongs to a string literal (quotes included).
    mutating func feed(_ character: Character) -> Bool {
        guard isInString else {
            if character == "\"" { isInString = true }
            return isInString
        }
        if escaped {
            escaped = false
        } else if character == "\\" {
            escaped = true
        } else if character == "\"" {
            isInString = false
        }
        return true
    }
}
