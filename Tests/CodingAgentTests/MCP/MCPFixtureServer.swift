import Foundation
import MGTestSupport

/// A small MCP server written with the real Python MCP SDK (mcp 2.x's `MCPServer`), run from
/// the peers' venv over stdio or streamable HTTP: tools `add`, `slow` (sleeps) and `dot` (a PNG).
enum MCPFixtureServer {
    static let source = """
        import asyncio, base64, sys
        from mcp.server.mcpserver import MCPServer, Image
        server = MCPServer("fixture")

        @server.tool()
        def add(a: int, b: int) -> str:
            "Add two numbers."
            return str(a + b)

        @server.tool()
        async def slow(seconds: float) -> str:
            "Sleep, then answer."
            await asyncio.sleep(seconds)
            return "done"

        @server.tool()
        def dot() -> Image:
            "A 1x1 PNG."
            return Image(data=base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), format="png")

        if sys.argv[1] == "http":
            server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
        else:
            server.run("stdio")

        """

    /// The script, written once per process.
    static let scriptPath: String = {
        let path = NSTemporaryDirectory() + "mg-mcp-fixture-\(getpid()).py"
        try? source.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }()

    /// A running HTTP server: its URL and the process to stop.
    final class HTTP {
        let process = Process()
        let url: String

        init(peers: PythonPeers) throws {
            let port = try LlmockServer.freePort()
            url = "http://127.0.0.1:\(port)/mcp"
            process.executableURL = URL(fileURLWithPath: peers.python)
            process.arguments = [MCPFixtureServer.scriptPath, "http", String(port)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Ready once the port accepts connections.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !Self.accepts(port: port) { usleep(50_000) }
        }

        /// Kills the server (uvicorn's graceful SIGTERM waits for idle keep-alive connections).
        func stop() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        static func accepts(port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = in_addr(s_addr: inet_addr("127.0.0.1"))
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        }
    }
}
