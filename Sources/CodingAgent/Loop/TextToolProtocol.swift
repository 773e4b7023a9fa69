/// Tool calling for models that cannot use the provider's tool channel (`ToolMode.text`).
///
/// The tools are described in the system prompt with one strict call format — a JSON object
/// `{"name": …, "arguments": {…}}` in a ```json fence — and the conversation is sent as plain
/// text: the model's own calls written back in that format (so every earlier turn is an example
/// of it), tool results as user messages. `BareToolCallParser` reads the calls back out of the
/// replies, fenced, in Hermes `<tool_call>` tags or bare.
///
/// The description is compact on purpose: on a 2-core machine a 1.5B model reads ~60 prompt
/// tokens a second, and the JSON schemas the provider channel would carry cost several times
/// more than one line per tool.
enum TextToolProtocol {
    /// The system-prompt section describing `tools` and how to call them; with an edit format,
    /// also how to change files by writing code blocks.
    ///
    /// With an edit format, changing files by code blocks comes first and `write_file` /
    /// `edit_file` are not listed (they still work): the 1.5B model fixes a function reliably
    /// when it writes the file, and breaks it about as often as not through `edit_file`.
    static func instructions(for tools: [ToolDefinition], editFormat: EditFormat, submission: AnswerSubmission?) -> String {
        var out = ""
        var listed = tools
        if editFormat != .none {
            out += EditBlockParser.instructions(editFormat, submission: submission) + "\n"
            listed.removeAll { $0.name == "write_file" || $0.name == "edit_file" }
        }
        out += "# Tools\n\n"
        out += "You act by calling tools. To call a tool, reply with one JSON object in a ```json fence:\n\n"
        out += "```json\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"README.md\"}}\n```\n\n"
        out += "Use exactly these tool names; arguments are a JSON object (escape newlines in strings as \\n). "
        out += "Call one tool per reply and wait for its result, which comes in the next message.\n\n"
        out += "Available tools (name(arguments): what it does; `?` marks an optional argument):\n"
        for tool in listed { out += "- " + signature(of: tool) + "\n" }
        return out
    }

    /// `read_file(path, offset?, limit?): Read a text file of the workspace with line numbers.`
    /// — the first sentence of the description, enum values listed.
    static func signature(of tool: ToolDefinition) -> String {
        let properties: [String: JSONValue]
        if case .object(let fields)? = tool.parameters["properties"] { properties = fields } else { properties = [:] }
        var required: [String] = []
        if case .array(let items)? = tool.parameters["required"] { required = items.compactMap(\.stringValue) }
        let optional = properties.keys.filter { !required.contains($0) }.sorted()
        var arguments: [String] = []
        for name in required + optional {
            var argument = required.contains(name) ? name : name + "?"
            if case .array(let values)? = properties[name]?["enum"] {
                argument += " (one of " + values.compactMap(\.stringValue).joined(separator: ", ") + ")"
            }
            arguments.append(argument)
        }
        return "\(tool.name)(\(arguments.joined(separator: ", "))): \(firstSentence(of: tool.description))"
    }

    static func firstSentence(of text: String) -> String {
        guard let end = text.range(of: ". ") else { return text }
        return String(text[..<end.lowerBound]) + "."
    }

    /// A call as the model is asked to write it.
    static func written(_ call: ToolCall) -> String {
        let arguments = JSONValue.parseArguments(call.arguments)?.jsonText ?? call.arguments
        return "```json\n{\"name\": \"\(call.name)\", \"arguments\": \(arguments)}\n```"
    }

    /// `messages` as plain text: assistant calls written in the call format, each tool result a
    /// user message naming its tool. Media a tool attached stay as parts of that message.
    static func render(_ messages: [Message]) -> [Message] {
        messages.map { message in
            switch message.role {
            case .assistant where !message.toolCalls.isEmpty:
                var pieces = message.text.isEmpty ? [] : [message.text]
                pieces += message.toolCalls.map(written)
                return .text(.assistant, pieces.joined(separator: "\n\n"))
            case .tool:
                var parts: [ContentPart] = []
                for part in message.parts {
                    if case .toolResult(let result) = part {
                        let label = result.isError ? "Error from \(result.name)" : "Result of \(result.name)"
                        parts.append(.text("\(label):\n\(result.content)"))
                    } else {
                        parts.append(part)
                    }
                }
                let text = parts.allSatisfy { if case .text = $0 { true } else { false } }
                return text
                    ? .text(.user, parts.map { if case .text(let t) = $0 { t } else { "" } }.joined(separator: "\n\n"))
                    : Message(role: .user, parts: parts)
            default:
                return message
            }
        }
    }

    /// What to tell a model in text mode whose reply held no call.
    static func noCallCorrection(terminal: [String], others: [String], editFormat: EditFormat) -> String {
        var out = "Your reply did not contain a tool call. Reply with one JSON object in a ```json fence, for example:\n"
        out += "```json\n{\"name\": \"\(terminal.first ?? others.first ?? "read_file")\", \"arguments\": {…}}\n```\n"
        out += "Tools that finish your turn: \(terminal.joined(separator: ", "))."
        if !others.isEmpty { out += " Tools to keep working with: \(others.joined(separator: ", "))." }
        if editFormat != .none { out += " Or change files with code blocks as described in your instructions." }
        return out
    }
}
