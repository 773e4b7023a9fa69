import Foundation
import MCP

/// The MCP servers of one agent, started together and offered as tools named
/// `<server>__<tool>`; stopped with the agent.
///
/// mg's own tools stay confined to the agent's worktree; an MCP server's actions are its own
/// (a stdio server starts in the worktree, but nothing stops it from reaching elsewhere).
public final class MCPToolbox: Sendable {
    /// The tools, in server order then the server's order.
    public let tools: [any AgentTool]
    private let connections: [MCPConnection]
    private let mediaDirectory: String

    private init(tools: [any AgentTool], connections: [MCPConnection], mediaDirectory: String) {
        self.tools = tools
        self.connections = connections
        self.mediaDirectory = mediaDirectory
    }

    /// Starts every server in `specs` (stdio servers in `workingDirectory` unless they name
    /// their own `cwd`, with `environment`) and lists their tools. The first server that cannot
    /// start, answers garbage or times out stops the others and is thrown.
    public static func start(
        _ specs: [MCPServerSpec], workingDirectory: String, environment: [String: String],
        http: any HTTPTransport = LibcurlTransport()
    ) async throws(MCPClientError) -> MCPToolbox {
        let media = NSTemporaryDirectory() + "mg-mcp-media-\(UUID().uuidString.prefix(8))"
        var connections: [MCPConnection] = []
        var tools: [any AgentTool] = []
        do {
            for spec in specs {
                let connection = try await MCPConnection.open(
                    spec, workingDirectory: workingDirectory, environment: environment, http: http)
                connections.append(connection)
                for tool in try await connection.tools() {
                    tools.append(MCPRemoteTool(connection: connection, spec: spec, tool: tool, mediaDirectory: media))
                }
            }
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
        return MCPToolbox(tools: tools, connections: connections, mediaDirectory: media)
    }

    /// Stops every server.
    public func stop() async {
        for connection in connections { await connection.close() }
        try? FileManager.default.removeItem(atPath: mediaDirectory)
    }
}

/// One tool of an MCP server, offered to the model under its namespaced name.
struct MCPRemoteTool: AgentTool {
    let connection: MCPConnection
    let spec: MCPServerSpec
    let tool: Tool
    let mediaDirectory: String

    var definition: ToolDefinition {
        let schema = (try? JSONEncoder().encode(tool.inputSchema)).flatMap {
            try? JSONDecoder().decode(JSONValue.self, from: $0)
        }
        var parameters = schema ?? .objectSchema([:])
        if case .object(var object) = parameters, object["type"] == nil {
            object["type"] = .string("object")
            parameters = .object(object)
        }
        let summary = tool.description ?? tool.title ?? tool.name
        return ToolDefinition(
            name: spec.offeredName(of: tool.name), description: "[\(spec.name) MCP server] \(summary)",
            parameters: parameters)
    }

    var isReadOnly: Bool { tool.annotations.readOnlyHint == true }

    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        var values: [String: Value] = [:]
        if case .object(let object) = arguments,
            let data = try? JSONEncoder().encode(object),
            let decoded = try? JSONDecoder().decode([String: Value].self, from: data)
        {
            values = decoded
        }
        do {
            let result = try await connection.call(tool.name, arguments: values)
            return outcome(result.content, isError: result.isError)
        } catch {
            context.warn(error.description)
            return .failure(error.description)
        }
    }

    /// Text parts joined; images (and audio) written to files and attached as media.
    private func outcome(_ content: [Tool.Content], isError: Bool) -> ToolOutcome {
        var texts: [String] = []
        var media: [ContentPart] = []
        for (index, item) in content.enumerated() {
            switch item {
            case .text(let text, _, _):
                texts.append(text)
            case .image(let data, let mime, _, _), .audio(let data, let mime, _, _):
                if let part = mediaPart(base64: data, index: index) {
                    media.append(part)
                    texts.append("[\(mime) attached below]")
                } else {
                    texts.append("[\(mime) content that could not be decoded]")
                }
            case .resource(let resource, _, _):
                texts.append(resource.text ?? "[resource \(resource.uri)]")
            case .resourceLink(let uri, let name, _, _, _, _):
                texts.append("[resource link \(name): \(uri)]")
            }
        }
        let text = texts.isEmpty ? "(no content)" : texts.joined(separator: "\n")
        return ToolOutcome(text: text, isError: isError, media: media)
    }

    private func mediaPart(base64: String, index: Int) -> ContentPart? {
        guard let bytes = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else { return nil }
        let fm = FileManager.default
        try? fm.createDirectory(atPath: mediaDirectory, withIntermediateDirectories: true)
        let path = mediaDirectory + "/\(UUID().uuidString.prefix(8))-\(index)"
        guard fm.createFile(atPath: path, contents: bytes),
            let (reference, kind) = try? MediaSniffer.reference(forFileAt: path)
        else { return nil }
        return MediaAttachment.part(kind, reference)
    }
}
