import Foundation
import Testing

@testable import CodingAgent

/// The file tools on MassGen's context paths: an absolute path inside a context root reaches
/// it (a read root as it is, a write root in the agent's copy); nothing else outside the
/// workspace does.
@Suite struct ContextRootTests {
    /// A workspace with a read-only root (`outside/reference`) and a writable one whose real
    /// path is `outside/site` and whose copy is `outside/copy`, plus a single read-only file root.
    func fixture() throws -> (TemporaryWorkspace, ToolContext, reference: String, site: String, copy: String)
    {
        let ws = try TemporaryWorkspace()
        let reference = ws.outside.appendingPathComponent("reference").path
        let site = ws.outside.appendingPathComponent("site").path
        let copy = ws.outside.appendingPathComponent("copy").path
        for folder in [reference + "/docs", site, copy, reference + "/.git"] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "the guide\n".write(toFile: reference + "/docs/guide.md", atomically: true, encoding: .utf8)
        try "real\n".write(toFile: site + "/page.html", atomically: true, encoding: .utf8)
        try "copy\n".write(toFile: copy + "/page.html", atomically: true, encoding: .utf8)
        try "secret\n".write(toFile: copy + "/config.json", atomically: true, encoding: .utf8)
        var context = ws.context
        context.contextRoots = [
            ContextRoot(path: reference, backing: reference, writable: false, isFile: false),
            ContextRoot(
                path: site, backing: copy, writable: true, isFile: false,
                protection: ProtectedPaths(configured: ["config.json"])),
        ]
        return (ws, context, reference, site, copy)
    }

    func run(_ tool: any AgentTool, _ json: String, _ context: ToolContext) async throws -> ToolOutcome {
        await tool.run(arguments: try #require(JSONValue.parse(json)), context: context)
    }

    @Test func readRootsAreReadableAndNeverWritten() async throws {
        let (ws, context, reference, _, _) = try fixture()
        _ = ws
        let read = try await run(ReadFileTool(), #"{"path": "\#(reference)/docs/guide.md"}"#, context)
        #expect(!read.isError && read.text.contains("the guide"), "\(read.text)")
        let list = try await run(ListFilesTool(), #"{"path": "\#(reference)"}"#, context)
        #expect(list.text.hasPrefix("\(reference)/:") && list.text.contains("guide.md"), "\(list.text)")
        let search = try await run(SearchTool(), #"{"pattern": "guide", "path": "\#(reference)"}"#, context)
        #expect(search.text.contains("\(reference)/docs/guide.md:1:"), "\(search.text)")
        for (tool, json) in [
            (WriteFileTool() as any AgentTool, #"{"path": "\#(reference)/docs/guide.md", "content": "x"}"#),
            (
                EditFileTool(),
                #"{"path": "\#(reference)/docs/guide.md", "old_string": "the", "new_string": "a"}"#
            ),
        ] {
            let refused = try await run(tool, json, context)
            #expect(
                refused.isError && refused.text.contains("is in a read-only context path"), "\(refused.text)")
        }
        #expect(try String(contentsOfFile: reference + "/docs/guide.md", encoding: .utf8) == "the guide\n")
        // Metadata inside a context root, and paths outside every root, stay out of reach.
        let metadata = try await run(ListFilesTool(), #"{"path": "\#(reference)/.git"}"#, context)
        #expect(metadata.isError && metadata.text.contains("repository metadata"), "\(metadata.text)")
        let elsewhere = try await run(ReadFileTool(), #"{"path": "/etc/hostname"}"#, context)
        #expect(elsewhere.isError && elsewhere.text.contains("outside your workspace"))
    }

    @Test func writeRootsAreReadAndWrittenInTheAgentsCopy() async throws {
        let (ws, context, _, site, copy) = try fixture()
        _ = ws
        let read = try await run(ReadFileTool(), #"{"path": "\#(site)/page.html"}"#, context)
        #expect(read.text.contains("copy") && !read.text.contains("real"), "\(read.text)")
        let edit = try await run(
            EditFileTool(), #"{"path": "\#(site)/page.html", "old_string": "copy", "new_string": "changed"}"#,
            context)
        #expect(!edit.isError && edit.text.contains(site + "/page.html"), "\(edit.text)")
        let write = try await run(
            WriteFileTool(), #"{"path": "\#(site)/new/file.txt", "content": "new\n"}"#, context)
        #expect(!write.isError, "\(write.text)")
        #expect(try String(contentsOfFile: copy + "/page.html", encoding: .utf8) == "changed\n")
        #expect(try String(contentsOfFile: copy + "/new/file.txt", encoding: .utf8) == "new\n")
        #expect(try String(contentsOfFile: site + "/page.html", encoding: .utf8) == "real\n")
        #expect(!FileManager.default.fileExists(atPath: site + "/new"))
        // The entry's protected_paths hold inside it.
        let protected = try await run(
            WriteFileTool(), #"{"path": "\#(site)/config.json", "content": "x"}"#, context)
        #expect(protected.isError && protected.text.contains("config.json is protected"), "\(protected.text)")
    }

    @Test func aFileRootReachesThatFileOnly() async throws {
        let ws = try TemporaryWorkspace()
        let folder = ws.outside.path
        try "body {}\n".write(toFile: folder + "/styles.css", atomically: true, encoding: .utf8)
        try "other\n".write(toFile: folder + "/other.css", atomically: true, encoding: .utf8)
        var context = ws.context
        context.contextRoots = [
            ContextRoot(
                path: folder + "/styles.css", backing: folder + "/styles.css", writable: false, isFile: true)
        ]
        let read = try await run(ReadFileTool(), #"{"path": "\#(folder)/styles.css"}"#, context)
        #expect(read.text.contains("body {}"), "\(read.text)")
        let sibling = try await run(ReadFileTool(), #"{"path": "\#(folder)/other.css"}"#, context)
        #expect(sibling.isError && sibling.text.contains("outside your workspace"))
    }
}
