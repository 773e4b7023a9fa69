import CodingAgent
import Foundation

/// One function of MassGen's `custom_tools`: a Python function offered to the model as the tool
/// `custom_tool__<name>` (MassGen's name for it), run by mg's bridge in the agent's worktree.
public struct CustomToolSpec: Sendable, Hashable {
    /// Where the function's code is.
    public enum Source: Sendable, Hashable {
        /// A Python file (absolute path).
        case file(String)
        /// A path inside MassGen's installed package (`massgen/tool/…`), found by the bridge.
        case massGenPackage(String)
        /// No `path`: one of MassGen's built-in tools (needs the `massgen` package).
        case massGenBuiltIn
    }

    /// The name the config gives it (default: the function's name).
    public var name: String
    /// The Python function to call.
    public var function: String
    /// Where the function is.
    public var source: Source
    /// `description`: replaces the docstring's summary.
    public var description: String?
    /// `preset_args`: arguments mg passes itself; hidden from the model.
    public var presetArguments: [String: JSONValue]
    /// `parameters`: a JSON schema that replaces the one derived from the signature.
    public var parameters: JSONValue?
    /// mg's `timeout_seconds` for one call (default: run_command's).
    public var timeoutSeconds: Double?

    /// Creates a spec.
    public init(
        name: String, function: String, source: Source, description: String? = nil,
        presetArguments: [String: JSONValue] = [:], parameters: JSONValue? = nil,
        timeoutSeconds: Double? = nil
    ) {
        self.name = name
        self.function = function
        self.source = source
        self.description = description
        self.presetArguments = presetArguments
        self.parameters = parameters
        self.timeoutSeconds = timeoutSeconds
    }

    /// The tool's name as the model sees it: MassGen prefixes custom tools with `custom_tool__`.
    public var offeredName: String { name.hasPrefix("custom_tool__") ? name : "custom_tool__" + name }

    /// The folder the sandbox must show for the function's file to load (`nil`: none needed).
    var folder: String? {
        if case .file(let path) = source { return (path as NSString).deletingLastPathComponent }
        return nil
    }

    /// The spec as the bridge reads it (`agent_id` for MassGen's context parameter).
    func bridgeJSON(agent: String = "") -> String {
        var object: [String: JSONValue] = [
            "name": .string(offeredName), "function": .string(function),
            "preset_args": .object(presetArguments),
            "agent_id": .string(agent),
        ]
        switch source {
        case .file(let path): object["path"] = .string(path)
        case .massGenPackage(let path): object["package_path"] = .string(path)
        case .massGenBuiltIn: break
        }
        if let description { object["description"] = .string(description) }
        if let parameters { object["parameters"] = parameters }
        return JSONValue.object(object).jsonText
    }

    /// Why `schema` cannot be a tool's parameters, or `nil` when it can: an object schema whose
    /// `properties` is a mapping and whose `required` names only listed properties.
    static func schemaProblem(_ schema: JSONValue) -> String? {
        guard case .object(let object) = schema else { return "it is not a mapping" }
        guard object["type"] == .string("object") else { return "its `type` must be \"object\"" }
        var names: Set<String> = []
        if let properties = object["properties"] {
            guard case .object(let fields) = properties else {
                return "`properties` must be a mapping of names to schemas"
            }
            for (name, field) in fields {
                guard case .object = field else { return "the schema of `\(name)` must be a mapping" }
            }
            names = Set(fields.keys)
        }
        if let required = object["required"] {
            guard case .array(let items) = required else {
                return "`required` must be a list of property names"
            }
            for item in items {
                guard case .string(let name) = item, names.contains(name) else {
                    return "`required` names \(item.jsonText), which is not among its properties"
                }
            }
        }
        return nil
    }
}
