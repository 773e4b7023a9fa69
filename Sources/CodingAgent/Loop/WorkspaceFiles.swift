import Foundation

/// The text files of an agent's worktree, read for agents that change files by writing code
/// blocks (`EditFormat`): shown to the model at the start of a run, so it can fix a bug without
/// a single `read_file`, and used to place code blocks that name no file.
struct WorkspaceFiles: Sendable {
    /// Relative path → content, for text files up to `maxFileBytes`.
    var contents: [String: String]
    /// Files left out because of the budget, size or content (binary).
    var omitted: [String]

    /// Reads the worktree's files in name order (ignored ones skipped), keeping text files of at
    /// most `maxFileBytes` while their total stays within `budget` characters.
    static func read(_ context: ToolContext, budget: Int, maxFileBytes: Int = 16 * 1024, maxFiles: Int = 200) -> WorkspaceFiles {
        let walker = WorkspaceWalker(workspace: context.workspace, ignoreRules: context.ignoreRules)
        var files = WorkspaceFiles(contents: [:], omitted: [])
        var used = 0
        var seen = 0
        walker.walk(from: ResolvedPath(absolute: context.workspace.path, relative: "")) { entry in
            guard !entry.isDirectory, !entry.isSymlink else { return true }
            seen += 1
            guard seen <= maxFiles else { return false }
            let size = (try? FileManager.default.attributesOfItem(atPath: entry.absolute)[.size] as? Int) ?? 0
            guard size <= maxFileBytes, used + size <= budget,
                let data = FileManager.default.contents(atPath: entry.absolute), !data.contains(0),
                let text = String(data: data, encoding: .utf8)
            else {
                files.omitted.append(entry.relative)
                return true
            }
            files.contents[entry.relative] = text
            used += text.count
            return true
        }
        return files
    }

    /// The user message showing the files: each under its path in a fence.
    var message: Message? {
        guard !contents.isEmpty else { return nil }
        var out = "# Current files of your worktree\n\n"
        for path in contents.keys.sorted() {
            let text = contents[path] ?? ""
            let fence = text.contains("```") ? "````" : "```"
            out += "\(path)\n\(fence)\(Self.language(of: path))\n\(text)\(text.hasSuffix("\n") ? "" : "\n")\(fence)\n\n"
        }
        if !omitted.isEmpty {
            out += "Not shown (large, binary, or over the budget): \(omitted.prefix(20).joined(separator: ", "))"
            out += omitted.count > 20 ? " and \(omitted.count - 20) more.\n" : ".\n"
        }
        return .text(.user, out)
    }

    /// The fence language for a path's extension (a hint for the model; empty when unknown).
    static func language(of path: String) -> String {
        let languages = [
            "py": "python", "js": "javascript", "mjs": "javascript", "ts": "typescript", "rs": "rust", "c": "c", "h": "c",
            "java": "java", "go": "go", "rb": "ruby", "swift": "swift", "sh": "sh", "json": "json", "toml": "toml",
            "md": "markdown", "yaml": "yaml", "yml": "yaml", "cpp": "cpp",
        ]
        return languages[path.split(separator: ".").last.map(String.init) ?? ""] ?? ""
    }
}
