import CodingAgent
import Foundation
import MGTestSupport
import Testing

/// MCP servers as tools for API agents, against real servers: mcp-server-time and
/// mcp-server-git from PyPI and a fixture written with the Python MCP SDK, over stdio and
/// streamable HTTP; broken servers fail with one clear error each.
@Suite struct MCPToolboxTests {
    let peers: PythonPeers
    let context: ToolContext
    let folder: String

    init() throws {
        peers = try PythonPeers.installed()
        folder = NSTemporaryDirectory() + "mg-mcp-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        context = ToolContext(workspace: try WorkspaceRoot(folder))
    }

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    private func stdio(
        _ name: String, _ command: String, _ arguments: [String] = [], timeout: Duration = .seconds(30),
        startTimeout: Duration = .seconds(30)
    ) -> MCPServerSpec {
        MCPServerSpec(
            name: name, transport: .stdio(command: command, arguments: arguments, environment: [:], workingDirectory: nil),
            callTimeout: timeout, startTimeout: startTimeout)
    }

    @Test func timeServerToolsAreOfferedNamespacedAndAnswer() async throws {
        let toolbox = try await MCPToolbox.start(
            [stdio("time", peers.tool("mcp-server-time"), ["--local-timezone", "UTC"])], workingDirectory: folder,
            environment: environment)
        defer { Task { await toolbox.stop() } }
        let names = toolbox.tools.map(\.name)
        #expect(names.contains("time__get_current_time"))
        #expect(names.contains("time__convert_time"))
        let tool = try #require(toolbox.tools.first { $0.name == "time__get_current_time" })
        #expect(tool.definition.description.hasPrefix("[time MCP server]"))
        #expect(tool.definition.parameters["properties"]?["timezone"] != nil)
        let outcome = await tool.run(arguments: .object(["timezone": .string("Europe/Paris")]), context: context)
        #expect(!outcome.isError, "\(outcome.text)")
        #expect(outcome.text.contains("Europe/Paris"))
        #expect(outcome.text.contains("datetime"))
    }

    @Test func gitServerRunsInTheWorktreeAndHonoursFilters() async throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "one\n")
        _ = try repository.commitAll("first commit")
        try repository.write("a.txt", "two\n")
        var spec = stdio("git", peers.tool("mcp-server-git"))
        spec.allowedTools = ["git_status", "git_log", "git_diff_unstaged"]
        spec.excludedTools = ["git_log"]
        let toolbox = try await MCPToolbox.start([spec], workingDirectory: repository.path, environment: environment)
        defer { Task { await toolbox.stop() } }
        #expect(Set(toolbox.tools.map(\.name)) == ["git__git_status", "git__git_diff_unstaged"])
        let diff = try #require(toolbox.tools.first { $0.name == "git__git_diff_unstaged" })
        let outcome = await diff.run(arguments: .object(["repo_path": .string(repository.path)]), context: context)
        #expect(!outcome.isError, "\(outcome.text)")
        #expect(outcome.text.contains("-one") && outcome.text.contains("+two"))
    }

    @Test func streamableHTTPServerAnswersAndImagesBecomeMedia() async throws {
        let server = try MCPFixtureServer.HTTP(peers: peers)
        defer { server.stop() }
        let spec = MCPServerSpec(name: "fixture", transport: .http(url: server.url, headers: ["Authorization": "Bearer t"]))
        let toolbox = try await MCPToolbox.start([spec], workingDirectory: folder, environment: environment)
        #expect(Set(toolbox.tools.map(\.name)) == ["fixture__add", "fixture__slow", "fixture__dot"])
        let add = try #require(toolbox.tools.first { $0.name == "fixture__add" })
        let sum = await add.run(arguments: .object(["a": .number(2), "b": .number(3)]), context: context)
        #expect(sum.text == "5" && !sum.isError)
        let dot = try #require(toolbox.tools.first { $0.name == "fixture__dot" })
        let image = await dot.run(arguments: .object([:]), context: context)
        #expect(image.media.count == 1)
        #expect(image.media.first?.media?.reference.mimeType == "image/png")
        #expect(image.text.contains("image/png attached"))
        await toolbox.stop()
    }

    @Test func aSlowToolCallTimesOutWithAClearError() async throws {
        let spec = stdio("fixture", peers.python, [MCPFixtureServer.scriptPath, "stdio"], timeout: .seconds(2))
        let toolbox = try await MCPToolbox.start([spec], workingDirectory: folder, environment: environment)
        defer { Task { await toolbox.stop() } }
        let slow = try #require(toolbox.tools.first { $0.name == "fixture__slow" })
        let outcome = await slow.run(arguments: .object(["seconds": .number(20)]), context: context)
        #expect(outcome.isError)
        #expect(outcome.text.contains("did not answer tools/call slow within 2 s"))
        // The server is still usable after a timed-out call.
        let add = try #require(toolbox.tools.first { $0.name == "fixture__add" })
        #expect(await add.run(arguments: .object(["a": .number(1), "b": .number(1)]), context: context).text == "2")
    }

    @Test func brokenServersEachFailWithOneClearError() async throws {
        let cases: [(MCPServerSpec, String)] = [
            (stdio("missing", "mg-no-such-mcp-server"), "its command mg-no-such-mcp-server was not found on PATH"),
            (stdio("quitter", "/bin/sh", ["-c", "echo 'cannot open database' >&2; exit 3"]), "it exited (exit code 3): cannot open database"),
            (stdio("chatty", "/bin/sh", ["-c", "echo 'Server starting...'; sleep 30"]), "printed something that is not an MCP message on stdout: \"Server starting...\""),
            (stdio("silent", "/bin/sh", ["-c", "sleep 30"], startTimeout: .seconds(1)), "did not answer initialize within 1 s (raise `startup_timeout`"),
        ]
        for (spec, expected) in cases {
            do {
                _ = try await MCPToolbox.start([spec], workingDirectory: folder, environment: environment)
                Issue.record("\(spec.name) started")
            } catch {
                #expect(error.description.contains("MCP server \"\(spec.name)\""))
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }
}
