import Foundation

/// `list_files(path?)`: an indented tree of a workspace directory.
///
/// Skips `.git`, `.massgen` and ignored files; stops after `maxEntries` with a note on how to
/// narrow the listing. Symlinks are shown with their target but never followed.
public struct ListFilesTool: AgentTool {
    /// Entries shown before the listing is cut.
    public var maxEntries: Int

    /// Creates the tool.
    public init(maxEntries: Int = 500) {
        self.maxEntries = maxEntries
    }

    public var isReadOnly: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "list_files",
            description: "List the files and directories of the workspace (or of one directory in it) as a tree. "
                + "Ignored files and repository metadata are not shown.",
            parameters: .objectSchema(
                ["path": .property("string", "Directory relative to the workspace root (default: the root).")]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "list_files", json: arguments)
            let (context, path) = try context.scoped(try args.optionalString("path"), writing: false)
            let resolved = try context.workspace.resolve(path)
            guard let attributes = FileInspection.attributes(resolved.absolute) else {
                return .failure("\(resolved.display) does not exist. Call list_files without a path to see the workspace.")
            }
            guard attributes.isDirectory else {
                return .success("\(resolved.display) is a file of \(attributes.size) bytes. Use read_file to read it.")
            }
            return .success(listing(of: resolved, context: context))
        } catch {
            return .failure(String(describing: error))
        }
    }

    private func listing(of directory: ResolvedPath, context: ToolContext) -> String {
        var lines: [String] = []
        var omitted = 0
        // Counting past the cap is bounded too, so a huge tree cannot stall the call.
        let countLimit = maxEntries * 20
        let walker = WorkspaceWalker(workspace: context.workspace, ignoreRules: context.ignoreRules)
        walker.walk(from: directory) { entry in
            if lines.count >= maxEntries {
                omitted += 1
                return omitted < countLimit
            }
            let indent = String(repeating: "  ", count: entry.depth)
            let name = entry.relative.split(separator: "/").last.map(String.init) ?? entry.relative
            if entry.isSymlink {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: entry.absolute)) ?? "?"
                lines.append("\(indent)\(name) -> \(target)")
            } else {
                lines.append(indent + name + (entry.isDirectory ? "/" : ""))
            }
            return true
        }
        var header = directory.display == "." ? "Workspace root:" : "\(directory.display)/:"
        if lines.isEmpty { header += " (empty)" }
        var text = ([header] + lines).joined(separator: "\n")
        if omitted > 0 {
            let count = omitted >= countLimit ? "\(omitted)+" : "\(omitted)"
            text += "\n… \(count) more entries not shown; call list_files with a subdirectory path to see them."
        }
        return text
    }
}
