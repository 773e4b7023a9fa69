import Foundation

/// `edit_file(path, old_string, new_string)`: replaces one exact, unique occurrence.
///
/// Matching is byte-exact (whitespace, indentation and line endings count), so what the model
/// copied from `read_file` output matches what is on disk. When the text occurs zero or several
/// times nothing is changed and the result says how many matches there were.
public struct EditFileTool: AgentTool {
    /// Creates the tool.
    public init() {}

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "edit_file",
            description: "Replace one exact occurrence of old_string with new_string in a file. old_string must "
                + "match the file exactly (including indentation) and occur exactly once; include surrounding lines to make it unique.",
            parameters: .objectSchema(
                [
                    "path": .property("string", "File path relative to the workspace root."),
                    "old_string": .property("string", "The exact text to replace (must occur exactly once)."),
                    "new_string": .property("string", "The replacement text."),
                ], required: ["path", "old_string", "new_string"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "edit_file", json: arguments)
            let (context, path) = try context.scoped(try args.string("path"), writing: true)
            let resolved = try context.workspace.resolve(path)
            if let refusal = context.protectionRefusal(resolved, tool: "edit_file") { return .failure(refusal) }
            let old = try args.string("old_string")
            let new = try args.string("new_string")
            if old.isEmpty {
                return .failure("old_string is empty; give the exact text to replace, or use write_file to create a file.")
            }
            if old == new { return .failure("old_string and new_string are identical, so there is nothing to change.") }
            if let problem = FileInspection.textFileProblem(resolved, tool: "edit_file") { return .failure(problem) }
            let data = try Data(contentsOf: URL(fileURLWithPath: resolved.absolute))
            let needle = Data(old.utf8)
            let matches = Self.occurrences(of: needle, in: data, upTo: 100)
            let done = Self.occurrences(of: Data(new.utf8), in: data, upTo: 100).count
            // old_string inside new_string (`x` → `x if y else 0`) would apply the change twice.
            let alreadyMade =
                !new.isEmpty && done > 0
                && (matches.isEmpty
                    || (new.contains(old)
                        && matches.count == done * Self.occurrences(of: needle, in: Data(new.utf8), upTo: 100).count))
            switch matches.count {
            case _ where alreadyMade:
                // Small models repeat an edit that already applied; saying so ends the loop sooner.
                return .failure(
                    "old_string was not found in \(resolved.display), but new_string is already there: this change "
                        + "has been made. Do not repeat it; run the tests or finish your turn.")
            case 0:
                return .failure(
                    "old_string was not found in \(resolved.display) (0 matches). Read the file with read_file and copy the "
                        + "exact current text, including indentation and whitespace; do not include the line-number prefix.")
            case 1:
                break
            default:
                let lines = matches.prefix(10).map { String(Self.lineNumber(at: $0.lowerBound, in: data)) }
                let shown = lines.joined(separator: ", ") + (matches.count > 10 ? ", …" : "")
                return .failure(
                    "old_string occurs \(matches.count)\(matches.count >= 100 ? "+" : "") times in \(resolved.display) "
                        + "(starting at lines \(shown)); nothing was changed. Include more surrounding lines so it matches exactly once.")
            }
            let match = matches[0]
            var updated = data
            updated.replaceSubrange(match, with: Data(new.utf8))
            try TextFileWriter.write(String(decoding: updated, as: UTF8.self), to: resolved.absolute)
            let firstLine = Self.lineNumber(at: match.lowerBound, in: data)
            let newLines = new.split(separator: "\n", omittingEmptySubsequences: false).count
            return .success(
                "Edited \(resolved.display): replaced 1 occurrence at line \(firstLine); the new text spans lines \(firstLine)–\(firstLine + newLines - 1).")
        } catch let error as ToolArgumentError {
            return .failure(error.description)
        } catch let error as WorkspacePathError {
            return .failure(error.description)
        } catch {
            return .failure("Could not edit the file: \(error.localizedDescription)")
        }
    }

    /// Non-overlapping occurrences of `needle`, at most `limit` of them.
    static func occurrences(of needle: Data, in data: Data, upTo limit: Int) -> [Range<Data.Index>] {
        var found: [Range<Data.Index>] = []
        var searchStart = data.startIndex
        while found.count < limit, let range = data.range(of: needle, in: searchStart..<data.endIndex) {
            found.append(range)
            searchStart = range.upperBound
        }
        return found
    }

    /// 1-based line number of byte `index`.
    static func lineNumber(at index: Data.Index, in data: Data) -> Int {
        data[data.startIndex..<index].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }
}
