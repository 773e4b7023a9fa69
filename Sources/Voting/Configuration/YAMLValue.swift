import CodingAgent
import Foundation
import Yams

/// A YAML node with its path in the document (`agents[1].backend.model`) and its position, so
/// every type error can say where it is.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String
    /// Replaces `${cwd}` in every string read, as MassGen does.
    let workingDirectory: String
    /// The key's node when this value sits in a mapping (warnings point at the key).
    var keyNode: Node? = nil

    /// Where the node starts.
    var location: ConfigurationLocation {
        ConfigurationLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// Where the key of this value is, else the value itself.
    var keyLocation: ConfigurationLocation {
        guard let mark = keyNode?.mark else { return location }
        return ConfigurationLocation(file: file, line: mark.line, column: mark.column)
    }

    /// A child's path: `parent.key` or `parent[index]`.
    func child(_ node: Node, key: String, keyNode: Node? = nil) -> YAMLValue {
        YAMLValue(
            node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file, workingDirectory: workingDirectory,
            keyNode: keyNode)
    }

    func child(_ node: Node, index: Int) -> YAMLValue {
        YAMLValue(node: node, path: "\(path)[\(index)]", file: file, workingDirectory: workingDirectory)
    }

    /// True for `~`, `null` or an empty value.
    var isNull: Bool {
        if case .scalar(let scalar) = node { return node.null != nil || (scalar.string.isEmpty && scalar.style == .plain) }
        return false
    }

    /// What the node is, for "expected X, found Y" messages.
    var kindName: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): "\"\(scalar.string)\""
        }
    }

    func invalid(_ expected: String) -> ConfigurationError {
        .invalidValue(location, path: path, expected: expected, found: kindName)
    }

    /// The entries of a mapping in file order; keys must be strings.
    func entries() throws(ConfigurationError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw invalid("a mapping (key: value lines)") }
        var result: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw ConfigurationError.invalidValue(
                    ConfigurationLocation(file: file, line: keyNode.mark?.line ?? 0, column: keyNode.mark?.column ?? 0),
                    path: path, expected: "text keys", found: "a non-text key")
            }
            result.append((key, child(valueNode, key: key, keyNode: keyNode)))
        }
        return result
    }

    /// The items of a list.
    func items() throws(ConfigurationError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw invalid("a list") }
        return sequence.enumerated().map { child($0.element, index: $0.offset) }
    }

    /// A scalar as text, with `${cwd}` substituted.
    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw invalid("text") }
        return scalar.string.replacingOccurrences(of: "${cwd}", with: workingDirectory)
    }

    /// An http(s) URL with a host (`base_url`); anything else is an invalid value here, not a
    /// confusing failure at the first request.
    func httpURL() throws(ConfigurationError) -> String {
        let text = try string().trimmingCharacters(in: .whitespaces)
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else { throw invalid("an http:// or https:// URL with a host, e.g. \"http://127.0.0.1:8080/v1\"") }
        return text
    }

    func double() throws(ConfigurationError) -> Double {
        guard case .scalar = node, let value = node.float else { throw invalid("a number") }
        return value
    }

    func bool() throws(ConfigurationError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw invalid("true or false") }
        return value
    }

    func int() throws(ConfigurationError) -> Int {
        guard case .scalar = node, let value = node.int else { throw invalid("a whole number") }
        return value
    }

    /// A list of strings; a single string counts as a one-item list.
    func stringList() throws(ConfigurationError) -> [String] {
        if case .scalar = node { return [try string()] }
        var result: [String] = []
        for item in try items() { result.append(try item.string()) }
        return result
    }

    /// The node as JSON, for `extra_body` and provider extras (YAML's resolved scalar types kept).
    func json() throws(ConfigurationError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return .null }
            if scalar.style == .plain {
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .number(Double(int)) }
                if let float = node.float { return .number(float) }
            }
            return .string(try string())
        case .sequence:
            var values: [JSONValue] = []
            for item in try items() { values.append(try item.json()) }
            return .array(values)
        case .mapping:
            var object: [String: JSONValue] = [:]
            for (key, value) in try entries() { object[key] = try value.json() }
            return .object(object)
        case .alias:
            throw invalid("a plain value (aliases are not supported)")
        }
    }
}
