import CodingAgent
import Foundation
import MCP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `mg mcp`: a stdio MCP server bound to one session and one agent. A CLI agent that speaks
/// MCP (Claude Code, Codex) starts it from the config mg hands it; it offers mg's coordination
/// tools (`new_answer`, `vote`, `view_answer`, `adopt_answer`, `list_answers`) and forwards
/// each call over the session's coordination socket, so the session runs it exactly as it runs
/// an API agent's call (commit, protected paths, tests, the gate).
public enum CoordinationMCPServer {
    /// Connects to `socket` as `agent` with `token`, then serves MCP on stdin/stdout until the
    /// client or the session goes away.
    public static func serve(socket: String, agent: String, token: String) async throws(CoordinationMCPError) {
        let connection = try SocketLineClient(path: socket)
        let hello = JSONValue.object(["type": .string("hello"), "agent": .string(agent), "token": .string(token)]).jsonText
        guard let welcome = await connection.exchange(hello).flatMap(JSONValue.parse) else {
            throw .sessionGone(socket)
        }
        guard welcome["type"]?.stringValue == "welcome", case .array(let definitions)? = welcome["tools"] else {
            throw .refused(welcome["message"]?.stringValue ?? "the session refused the connection")
        }
        let tools = definitions.compactMap(Self.tool)
        let server = Server(
            name: "mg", version: "0.1.0", title: "mg coordination (\(agent))",
            capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        let calls = CallCounter()
        await server.withMethodHandler(CallTool.self) { params in
            var arguments: JSONValue = .object([:])
            if let given = params.arguments, let data = try? JSONEncoder().encode(given),
                let decoded = try? JSONDecoder().decode(JSONValue.self, from: data)
            {
                arguments = decoded
            }
            let id = await calls.next()
            let line = JSONValue.object([
                "type": .string("tool_call"), "id": .string(id), "name": .string(params.name), "arguments": arguments,
            ]).jsonText
            guard let reply = await connection.exchange(line).flatMap(JSONValue.parse) else {
                return CallTool.Result(content: [.text(text: "The mg session has ended.", annotations: nil, _meta: nil)], isError: true)
            }
            let text = reply["text"]?.stringValue ?? reply["message"]?.stringValue ?? ""
            return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: reply["is_error"] == .bool(true) || reply["type"]?.stringValue == "error")
        }
        do {
            try await server.start(transport: StdioTransport())
        } catch {
            throw .refused("the MCP server could not start on stdin/stdout: \(error)")
        }
        await server.waitUntilCompleted()
    }

    private static func tool(_ definition: JSONValue) -> Tool? {
        guard let name = definition["name"]?.stringValue else { return nil }
        let schema = (definition["parameters"]).flatMap { try? JSONEncoder().encode($0) }
            .flatMap { try? JSONDecoder().decode(Value.self, from: $0) } ?? .object(["type": .string("object")])
        return Tool(name: name, description: definition["description"]?.stringValue, inputSchema: schema)
    }
}

private actor CallCounter {
    private var count = 0
    func next() -> String {
        count += 1
        return String(count)
    }
}

/// A line-oriented client of the coordination socket; one request at a time, blocking I/O
/// kept off the cooperative pool.
final class SocketLineClient: Sendable {
    private let fd: Int32
    private let queue = DispatchQueue(label: "mg.mcp.socket")

    init(path: String) throws(CoordinationMCPError) {
        guard let fd = UnixSocket.open(path, listening: false) else { throw .sessionGone(path) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Sends `line` and waits for the answer line; `nil` when the session closed the socket.
    func exchange(_ line: String) async -> String? {
        let fd = self.fd
        return await withCheckedContinuation { continuation in
            queue.async {
                guard UnixSocket.send(line, to: fd) else {
                    continuation.resume(returning: nil)
                    return
                }
                var reader = LineReader(fd: fd)
                continuation.resume(returning: reader.next())
            }
        }
    }
}

/// `mg mcp` could not serve.
public enum CoordinationMCPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The session's socket is gone (the session ended) or unreachable.
    case sessionGone(String)
    /// The session refused this agent (unknown agent or wrong token).
    case refused(String)

    public var description: String {
        switch self {
        case .sessionGone(let path):
            "No mg session is listening on \(path); `mg mcp` runs only while the session that started the agent runs."
        case .refused(let message): "The mg session refused the connection: \(message)"
        }
    }
}
