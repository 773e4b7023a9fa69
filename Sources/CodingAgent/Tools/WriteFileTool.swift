import Foundation

/// `write_file(path, content)`: creates or overwrites a file, creating parent directories.
///
/// Existing files are rewritten in place (not replaced), so their permission bits — e.g. the
/// executable bit of a script — survive.
public struct WriteFileTool: AgentTool {
    /// Creates the tool.
    public init() {}

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "write_file",
            description: "Create or overwrite a file of the workspace with the given content. "
                + "Parent directories are created. Prefer edit_file for small changes to existing files.",
            parameters: .objectSchema(
                [
                    "path": .property("string", "File path relative to the workspace root."),
                    "content": .property("string", "The complete new content of the file."),
                ], required: ["path", "content"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "write_file", json: arguments)
            let path = try args.string("path")
            let content = try args.string("content")
            let (context, scopedPath) = try context.scoped(path, writing: true)
            let resolved = try context.workspace.resolve(scopedPath)
            if resolved.relative.isEmpty {
                return .failure("write_file needs a file path, not the workspace root.")
            }
            if let refusal = context.protectionRefusal(resolved, tool: "write_file") { return .failure(refusal) }
            let existing = FileInspection.attributes(resolved.absolute)
            if existing?.isDirectory == true {
                return .failure("\(resolved.display) is a directory; choose a file path inside it.")
            }
            let parent = (resolved.absolute as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try TextFileWriter.write(content, to: resolved.absolute)
            let lines = content.isEmpty ? 0 : content.split(separator: "\n", omittingEmptySubsequences: false).count
            let verb = existing == nil ? "Created" : "Overwrote"
            return .success("\(verb) \(resolved.display) (\(content.utf8.count) bytes, \(lines) lines).")
        } catch let error as ToolArgumentError {
            return .failure(error.description)
        } catch let error as WorkspacePathError {
            return .failure(error.description)
        } catch {
            return .failure("Could not write the file: \(error.localizedDescription)")
        }
    }
}

/// Writes text to a file in place: truncates and rewrites, keeping the inode and its mode.
enum TextFileWriter {
    static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }
}
