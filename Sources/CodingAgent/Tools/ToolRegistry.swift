/// The tools offered to a model, looked up by name.
///
/// Accepts any `AgentTool`, so the orchestrator adds `view_answer`, `new_answer` and `vote`
/// next to the coding tools. Names must be unique; a later tool with the same name replaces
/// the earlier one (so callers can override a standard tool).
public struct ToolRegistry: Sendable {
    /// The tools in the order they are offered.
    public private(set) var tools: [any AgentTool]

    /// Creates a registry from `tools`.
    public init(_ tools: [any AgentTool] = []) {
        self.tools = []
        for tool in tools { register(tool) }
    }

    /// Adds `tool`, replacing any tool of the same name in place.
    public mutating func register(_ tool: any AgentTool) {
        if let index = tools.firstIndex(where: { $0.name == tool.name }) {
            tools[index] = tool
        } else {
            tools.append(tool)
        }
    }

    /// Removes the tools whose names are listed (MassGen's `exclude_tools`).
    public mutating func remove(named names: Set<String>) {
        tools.removeAll { names.contains($0.name) }
    }

    /// The tool called `name`, if offered.
    public func tool(named name: String) -> (any AgentTool)? {
        tools.first { $0.name == name }
    }

    /// Names of all tools, in order.
    public var names: [String] { tools.map(\.name) }

    /// Names of the terminal tools, in order.
    public var terminalNames: [String] { tools.filter(\.isTerminal).map(\.name) }

    /// The definitions sent to the model.
    public var definitions: [ToolDefinition] { tools.map(\.definition) }

    /// The error text for a call of a tool that is not offered.
    public func unknownToolMessage(_ name: String) -> String {
        "There is no tool named \"\(name)\". The tools you can call are: \(names.joined(separator: ", "))."
    }
}
