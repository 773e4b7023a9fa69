import CodingAgent
import Foundation

extension MassGenConfigurationParser {
    /// MassGen's `custom_tools`: a list of entries, each naming one function or several
    /// (`function: [a, b]`); `name`, `description` and `preset_args` are shared when given once
    /// and paired one-to-one when given as a list of the same length (as MassGen reads them).
    mutating func readCustomTools(_ value: YAMLValue) throws(ConfigurationError) -> [CustomToolSpec] {
        var tools: [CustomToolSpec] = []
        for item in try value.items() {
            tools += try readCustomTool(item)
        }
        var seen: Set<String> = []
        for tool in tools where !seen.insert(tool.offeredName).inserted {
            throw value.invalid("tools with distinct names (\"\(tool.name)\" appears twice)")
        }
        return tools
    }

    private mutating func readCustomTool(_ item: YAMLValue) throws(ConfigurationError) -> [CustomToolSpec] {
        var functions: [String] = []
        var functionValue: YAMLValue?
        var names: YAMLValue?
        var descriptions: YAMLValue?
        var presets: YAMLValue?
        var source = CustomToolSpec.Source.massGenBuiltIn
        var parameters: JSONValue?
        var timeout: Double?
        for (key, field) in try item.entries() {
            switch key {
            case "function":
                functions = try nonEmptyStrings(field)
                functionValue = field
            case "name": names = field
            case "description": descriptions = field
            case "preset_args": presets = field
            case "path": source = try customToolSource(field)
            case "parameters":
                let schema = try field.json()
                if let problem = CustomToolSpec.schemaProblem(schema) {
                    throw field.invalid("a JSON schema of type object (\(problem))")
                }
                parameters = schema
            case "timeout_seconds": timeout = try positive(field)
            case "category": break  // MassGen groups tools by it; every category is offered, as in MassGen.
            case "default_params":
                warn(
                    field, "MassGen v0.1.12 does not read it either (preset_args sets arguments)",
                    kind: .notNeeded)
            default: warn(field)
            }
        }
        guard let functionValue, !functions.isEmpty else {
            throw .missingKey(
                item.location, path: item.path + ".function",
                hint:
                    "name the Python function to offer, e.g. `function: two_num_tool` (with `path: tools/math_tool.py`)."
            )
        }
        let count = functions.count
        let toolNames = try perFunction(names, count: count) { value throws(ConfigurationError) in
            try value.string()
        }
        let texts = try perFunction(descriptions, count: count) { value throws(ConfigurationError) in
            try value.string()
        }
        let presetArguments = try perFunction(presets, count: count) {
            value throws(ConfigurationError) -> [String: JSONValue] in
            guard case .object(let object) = try value.json() else {
                throw value.invalid("a mapping of argument names to values")
            }
            return object
        }
        if parameters != nil, count > 1 {
            throw functionValue.invalid("one function when `parameters` gives its schema")
        }
        return (0..<count).map { index in
            CustomToolSpec(
                name: toolNames[index] ?? functions[index], function: functions[index], source: source,
                description: texts[index], presetArguments: presetArguments[index] ?? [:],
                parameters: parameters,
                timeoutSeconds: timeout)
        }
    }

    /// A field given once (shared by every function) or as a list with one value per function.
    private func perFunction<T>(
        _ value: YAMLValue?, count: Int, _ read: (YAMLValue) throws(ConfigurationError) -> T
    ) throws(ConfigurationError) -> [T?] {
        guard let value, !value.isNull else { return Array(repeating: nil, count: count) }
        guard case .sequence = value.node else { return Array(repeating: try read(value), count: count) }
        let items = try value.items()
        guard items.count == count else {
            throw value.invalid("one value, or a list of \(count) (one per function)")
        }
        var result: [T?] = []
        for item in items { result.append(try read(item)) }
        return result
    }

    /// Where a tool's `path` points: relative paths are looked up from the current directory (as
    /// MassGen does), then from the config file's folder; `massgen/…` paths found in neither are
    /// MassGen's own tools, loaded from its installed package when the session starts.
    private func customToolSource(_ field: YAMLValue) throws(ConfigurationError) -> CustomToolSpec.Source {
        let raw = try field.string()
        let fm = FileManager.default
        let candidates: [String]
        if raw.hasPrefix("/") {
            candidates = [raw]
        } else {
            let folder = file.hasPrefix("/") ? (file as NSString).deletingLastPathComponent : workingDirectory
            candidates = [workingDirectory, folder].map {
                URL(fileURLWithPath: $0).appendingPathComponent(raw).standardizedFileURL.path
            }
        }
        if let found = candidates.first(where: { fm.fileExists(atPath: $0) }) { return .file(found) }
        if raw.hasPrefix("massgen/") { return .massGenPackage(raw) }
        var unique: [String] = []
        for candidate in candidates where !unique.contains(candidate) { unique.append(candidate) }
        throw .fileNotFound(
            field.location, path: field.path, looked: unique,
            hint:
                "give the Python file's path relative to the current directory or the config file, or an absolute path."
        )
    }
}
