import Foundation

/// Why a tool's arguments could not be used, phrased for the model to fix its next call.
public enum ToolArgumentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The arguments were not a JSON object.
    case notAnObject(tool: String, received: String)
    /// A required argument was absent (or null).
    case missing(tool: String, argument: String, expected: String)
    /// An argument had the wrong JSON type or an unusable value.
    case wrongType(tool: String, argument: String, expected: String, received: String)

    public var description: String {
        switch self {
        case .notAnObject(let tool, let received):
            return "The arguments of \(tool) must be a JSON object, but got \(received)."
        case .missing(let tool, let argument, let expected):
            return "\(tool) needs the argument `\(argument)` (\(expected)); call it again with that argument."
        case .wrongType(let tool, let argument, let expected, let received):
            return "The argument `\(argument)` of \(tool) must be \(expected), but got \(received)."
        }
    }
}

/// Typed access to a tool call's JSON arguments with errors the model can act on.
///
/// Local models often send numbers as strings (`"10"`); integer accessors accept both.
public struct ToolArguments: Sendable {
    /// The tool the arguments belong to, named in errors.
    public let toolName: String
    /// The argument object.
    public let values: [String: JSONValue]

    /// Wraps `json`, which must be an object (`null` counts as no arguments).
    public init(toolName: String, json: JSONValue) throws(ToolArgumentError) {
        self.toolName = toolName
        switch json {
        case .object(let dict): values = dict
        case .null: values = [:]
        default: throw .notAnObject(tool: toolName, received: Self.describe(json))
        }
    }

    /// A required string argument.
    public func string(_ key: String) throws(ToolArgumentError) -> String {
        guard let value = try optionalString(key) else {
            throw .missing(tool: toolName, argument: key, expected: "a string")
        }
        return value
    }

    /// An optional string argument; numbers and booleans are not silently converted.
    public func optionalString(_ key: String) throws(ToolArgumentError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?:
            throw .wrongType(tool: toolName, argument: key, expected: "a string", received: Self.describe(other))
        }
    }

    /// An optional integer argument; accepts whole numbers and numeric strings.
    public func optionalInt(_ key: String) throws(ToolArgumentError) -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .number(let number)?:
            if number.rounded() == number, abs(number) < 1e15 { return Int(number) }
            throw .wrongType(tool: toolName, argument: key, expected: "a whole number", received: Self.describe(.number(number)))
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            if let value = Int(trimmed) { return value }
            throw .wrongType(tool: toolName, argument: key, expected: "a whole number", received: Self.describe(.string(text)))
        case let other?:
            throw .wrongType(tool: toolName, argument: key, expected: "a whole number", received: Self.describe(other))
        }
    }

    /// A short rendering of a JSON value for error messages (long values are cut).
    static func describe(_ value: JSONValue) -> String {
        let text: String
        switch value {
        case .null: return "null"
        case .bool(let flag): return "the boolean \(flag)"
        case .number: text = value.jsonText; return "the number \(text)"
        case .string: text = value.jsonText; return "the string \(text.count > 80 ? String(text.prefix(80)) + "…\"" : text)"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONValue {
    /// Parses tool-call argument text as sent by a model: empty text means no arguments.
    public static func parseArguments(_ text: String) -> JSONValue? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .object([:]) }
        return parse(trimmed)
    }
}
