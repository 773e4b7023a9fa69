import Foundation

/// Reads file edits that a model wrote as code blocks instead of tool calls (`EditFormat`),
/// after aider's "whole" and "diff" edit formats, and turns them into `write_file` and
/// `edit_file` calls that run like any other.
///
/// - A fenced block under a line naming a file (`calc.py`, `**calc.py**`, `File: calc.py`), or
///   with the name in its info string (```` ```python calc.py ````), is that file's new content.
/// - A block without a name is matched to the workspace file it shares most lines with (at
///   least half); small models often answer "here is the fixed code" and nothing else.
/// - A named or matched block whose top-level units (a `def …`, a function) all start like
///   units of the file, but not all of them, is a snippet: each unit replaces the unit of the
///   file that starts with the same line.
/// - `<<<<<<< SEARCH` / `=======` / `>>>>>>> REPLACE` under a file name becomes `edit_file`.
enum EditBlockParser {
    /// One edit found in a reply.
    struct Edit: Sendable, Hashable {
        /// `write_file` or `edit_file`.
        var tool: String
        /// Its arguments.
        var arguments: JSONValue
    }

    /// The edits of a reply, what could not be placed, and the prose around the blocks.
    struct Result: Sendable, Hashable {
        var edits: [Edit]
        var problems: [String]
        var prose: String
    }

    /// The workspace's text files, for matching unnamed blocks and splicing snippets.
    struct Files: Sendable {
        /// Relative path → content.
        var contents: [String: String]
    }

    /// Fence languages that are never a file's content (shell sessions, tool-call JSON).
    static let nonFileLanguages: Set<String> = ["bash", "sh", "shell", "console", "json", "text", "plaintext", "diff", "output"]

    /// Extensions a fence language implies, for matching unnamed blocks.
    static let extensions: [String: [String]] = [
        "python": ["py"], "py": ["py"], "javascript": ["js", "mjs", "cjs"], "js": ["js", "mjs", "cjs"],
        "typescript": ["ts"], "ts": ["ts"], "rust": ["rs"], "rs": ["rs"], "c": ["c", "h"], "cpp": ["cpp", "cc", "h", "hpp"],
        "java": ["java"], "go": ["go"], "ruby": ["rb"], "swift": ["swift"],
    ]

    /// The edits in `text`; `nil` when it has no code block that could be an edit.
    static func parse(_ text: String, files: Files) -> Result? {
        let lines = text.components(separatedBy: "\n")
        var edits: [Edit] = []
        var problems: [String] = []
        var prose: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces) == "<<<<<<< SEARCH" {
                let name = previousName(lines, before: index)
                let (edit, next) = searchReplace(lines, from: index, path: name)
                if let edit { edits.append(edit) } else { problems.append(searchProblem(name)) }
                if name != nil, prose.last.map({ pathName(in: $0) != nil }) == true { prose.removeLast() }
                index = next
                continue
            }
            guard let fence = fenceOpening(line) else {
                prose.append(line)
                index += 1
                continue
            }
            guard let close = lines[(index + 1)...].firstIndex(where: { isFenceClose($0, ticks: fence.ticks) }) else {
                prose.append(contentsOf: lines[index...])
                break
            }
            var body = Array(lines[(index + 1)..<close])
            let named = fence.name ?? previousName(lines, before: index) ?? leadingCommentName(&body, files: files)
            if named != nil, fence.name == nil, prose.last.map({ pathName(in: $0) != nil }) == true { prose.removeLast() }
            if body.contains(where: { $0.trimmingCharacters(in: .whitespaces) == "<<<<<<< SEARCH" }) {
                var inner = 0
                while inner < body.count {
                    if body[inner].trimmingCharacters(in: .whitespaces) == "<<<<<<< SEARCH" {
                        let name = previousName(body, before: inner) ?? named
                        let (edit, next) = searchReplace(body, from: inner, path: name)
                        if let edit { edits.append(edit) } else { problems.append(searchProblem(name)) }
                        inner = next
                    } else {
                        inner += 1
                    }
                }
            } else if named != nil || !nonFileLanguages.contains(fence.language) {
                switch wholeOrSnippet(body: body, path: named, language: fence.language, files: files) {
                case .edit(let edit): edits.append(edit)
                case .problem(let problem): problems.append(problem)
                case .notAnEdit: prose.append(contentsOf: lines[index...close])
                }
            } else {
                prose.append(contentsOf: lines[index...close])
            }
            index = close + 1
        }
        guard !edits.isEmpty || !problems.isEmpty else { return nil }
        return Result(edits: edits, problems: problems, prose: prose.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func searchProblem(_ path: String?) -> String {
        path == nil
            ? "A SEARCH/REPLACE block had no file path on the line before it, or was not closed with >>>>>>> REPLACE."
            : "The SEARCH/REPLACE block for \(path ?? "") was not closed with ======= and >>>>>>> REPLACE."
    }

    // MARK: Fences and names

    struct Fence {
        var ticks: Int
        var language: String
        var name: String?
    }

    static func fenceOpening(_ line: String) -> Fence? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let ticks = trimmed.prefix { $0 == "`" }.count
        guard ticks >= 3 else { return nil }
        let info = trimmed.dropFirst(ticks).trimmingCharacters(in: .whitespaces)
        guard !info.contains("`") else { return nil }
        let tokens = info.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "=" }).map(String.init)
        let name = tokens.lazy.compactMap(pathName(in:)).first
        let language = tokens.first.map { pathName(in: $0) == nil ? $0.lowercased() : "" } ?? ""
        return Fence(ticks: ticks, language: language, name: name)
    }

    static func isFenceClose(_ line: String, ticks: Int) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= ticks && trimmed.allSatisfy { $0 == "`" }
    }

    /// A file name on one of the two non-blank lines before `index`, if that line is only a name.
    static func previousName(_ lines: [String], before index: Int) -> String? {
        var cursor = index - 1
        var looked = 0
        while cursor >= 0, looked < 2 {
            let line = lines[cursor].trimmingCharacters(in: .whitespaces)
            cursor -= 1
            if line.isEmpty { continue }
            looked += 1
            if let name = pathName(in: line) { return name }
            if fenceOpening(line) != nil { return nil }
        }
        return nil
    }

    /// A first line such as `# calc.py` or `// file: main.js` names the file; it is dropped
    /// unless the file itself starts with it.
    static func leadingCommentName(_ body: inout [String], files: Files) -> String? {
        guard let first = body.first?.trimmingCharacters(in: .whitespaces),
            first.hasPrefix("#") || first.hasPrefix("//")
        else { return nil }
        let stripped = first.drop { $0 == "#" || $0 == "/" || $0 == " " }
        guard let name = pathName(in: String(stripped)), files.contents[name] != nil else { return nil }
        if files.contents[name]?.components(separatedBy: "\n").first?.trimmingCharacters(in: .whitespaces) != first {
            body.removeFirst()
        }
        return name
    }

    /// `line` as a file path when it is nothing else: `calc.py`, `` `src/a.js` ``, `**calc.py**:`,
    /// `File: calc.py`, `### calc.py`.
    static func pathName(in line: String) -> String? {
        var text = line.trimmingCharacters(in: .whitespaces)
        for prefix in ["File:", "file:", "Filename:", "filename:", "Path:", "path:"] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "#*`'\": "))
        guard !text.isEmpty, text.count <= 200, !text.contains(" "), !text.hasPrefix("/"), !text.contains("..") else {
            return nil
        }
        guard let dot = text.lastIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
            return nil
        }
        let ext = text[text.index(after: dot)...]
        guard ext.count <= 6, ext.allSatisfy({ $0.isLetter || $0.isNumber }), !ext.allSatisfy(\.isNumber) else { return nil }
        return text.allSatisfy { $0.isLetter || $0.isNumber || "._-/".contains($0) } ? text : nil
    }

    // MARK: SEARCH/REPLACE

    static func searchReplace(_ lines: [String], from start: Int, path: String?) -> (Edit?, Int) {
        var divider: Int?
        var cursor = start + 1
        while cursor < lines.count {
            let line = lines[cursor].trimmingCharacters(in: .whitespaces)
            if line == "=======", divider == nil { divider = cursor }
            if line.hasPrefix(">>>>>>> REPLACE") || line == ">>>>>>>" { break }
            cursor += 1
        }
        guard let divider, cursor < lines.count, let path else { return (nil, max(cursor, start) + 1) }
        let old = lines[(start + 1)..<divider].joined(separator: "\n")
        let new = lines[(divider + 1)..<cursor].joined(separator: "\n")
        let edit =
            old.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? Edit(tool: "write_file", arguments: .object(["path": .string(path), "content": .string(new + "\n")]))
            : Edit(
                tool: "edit_file",
                arguments: .object(["path": .string(path), "old_string": .string(old), "new_string": .string(new)]))
        return (edit, cursor + 1)
    }

    // MARK: Whole files and snippets

    enum Placement {
        case edit(Edit)
        case problem(String)
        case notAnEdit
    }

    static func wholeOrSnippet(body: [String], path named: String?, language: String, files: Files) -> Placement {
        let content = body.joined(separator: "\n") + "\n"
        guard let path = named ?? bestMatch(for: body, language: language, files: files) else { return .notAnEdit }
        guard let existing = files.contents[path] else {
            return .edit(write(path, content))
        }
        let fileLines = existing.components(separatedBy: "\n")
        // A block whose top-level units all start like units of the file, but not all of them,
        // is a snippet of it; anything else (a rewrite, renamed or new units) is the whole file.
        let fileHeads = Set(CodeSplicer.units(of: fileLines).compactMap { $0.first?.trimmingCharacters(in: .whitespaces) })
        let blockHeads = Set(CodeSplicer.units(of: body).compactMap { $0.first?.trimmingCharacters(in: .whitespaces) })
        guard !blockHeads.isEmpty, blockHeads.isStrictSubset(of: fileHeads) else { return .edit(write(path, content)) }
        guard let spliced = CodeSplicer.splice(body, into: fileLines) else {
            return .problem(
                "Your code block for \(path) holds only part of the file and could not be placed. "
                    + "Write the complete new content of \(path) in one code block under its path.")
        }
        return .edit(write(path, spliced))
    }

    static func write(_ path: String, _ content: String) -> Edit {
        Edit(tool: "write_file", arguments: .object(["path": .string(path), "content": .string(content)]))
    }

    /// The workspace file sharing at least half of the block's lines, best first.
    static func bestMatch(for body: [String], language: String, files: Files) -> String? {
        let lines = Set(significant(body))
        guard lines.count >= 2 else { return nil }
        let allowed = extensions[language]
        var best: (path: String, share: Double)?
        for (path, content) in files.contents {
            let ext = path.split(separator: ".").last.map(String.init) ?? ""
            if let allowed, !allowed.contains(ext) { continue }
            let shared = lines.intersection(significant(content.components(separatedBy: "\n"))).count
            let share = Double(shared) / Double(lines.count)
            if share >= 0.5, share > (best?.share ?? 0) || (share == best?.share && path < (best?.path ?? "")) {
                best = (path, share)
            }
        }
        return best?.path
    }

    /// Non-blank lines, trimmed.
    static func significant(_ lines: [String]) -> [String] {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The system-prompt section for `format`.
    static func instructions(_ format: EditFormat, submission: AnswerSubmission?) -> String {
        var out = "# Changing files\n\n"
        switch format {
        case .none:
            return ""
        case .whole:
            out += "To change a file, write its complete new content: a line with the file's path, "
            out += "then the whole file in a fenced code block:\n\ncalc.py\n```python\ndef add(a, b):\n    return a + b\n```\n"
        case .diff:
            out += "To change a file, write SEARCH/REPLACE blocks: the file's path on its own line, then\n\n"
            out += "calc.py\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n\n"
            out += "The SEARCH part must match the file exactly. To create a file, leave SEARCH empty.\n"
        }
        if let submission {
            out += "\nA reply with such blocks is applied to your worktree, tested and submitted as your answer "
            out += "(as \(submission.toolName) does); a sentence before the blocks saying what was wrong becomes its summary. "
            out += "When the files are shown to you, this is the quickest way to fix a bug: one reply.\n"
        }
        return out
    }
}
