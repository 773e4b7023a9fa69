import Foundation

/// `search(pattern, path?)`: a regular-expression search over the workspace's text files.
///
/// Uses `NSRegularExpression` (ICU) over each file's whole text with anchors matching at line
/// boundaries, which is much faster than matching line by line. Binary, ignored and very large
/// files are skipped; results are capped with a note saying how to narrow the search.
public struct SearchTool: AgentTool {
    /// Matching lines reported before the result is cut.
    public var maxMatches: Int
    /// Files larger than this are skipped (generated or data files, usually).
    public var maxFileBytes: Int64
    /// Characters kept of one matching line.
    public var maxLineLength: Int

    /// Creates the tool.
    public init(maxMatches: Int = 200, maxFileBytes: Int64 = 4 * 1024 * 1024, maxLineLength: Int = 300) {
        self.maxMatches = maxMatches
        self.maxFileBytes = maxFileBytes
        self.maxLineLength = maxLineLength
    }

    public var isReadOnly: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "search",
            description: "Search the workspace's text files for a regular expression (ICU syntax, like grep -E). "
                + "Returns matching lines as path:line: text. Ignored and binary files are skipped.",
            parameters: .objectSchema(
                [
                    "pattern": .property("string", "Regular expression to look for, e.g. func\\s+parse."),
                    "path": .property("string", "File or directory to search in, relative to the root (default: everything)."),
                ], required: ["pattern"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        let regex: NSRegularExpression
        let scope: ResolvedPath
        var context = context
        do {
            let args = try ToolArguments(toolName: "search", json: arguments)
            let pattern = try args.string("pattern")
            if pattern.isEmpty { return .failure("pattern is empty; give a regular expression to look for.") }
            let scoped = try context.scoped(try args.optionalString("path"), writing: false)
            context = scoped.context
            scope = try context.workspace.resolve(scoped.path)
            do {
                regex = try NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines])
            } catch {
                return .failure(
                    "The pattern \(pattern) is not a valid regular expression; escape special characters such as ( [ { . * + ? with a backslash.")
            }
        } catch {
            return .failure(String(describing: error))
        }
        guard let attributes = FileInspection.attributes(scope.absolute) else {
            return .failure("\(scope.display) does not exist. Use list_files to see which paths exist.")
        }
        var report = SearchReport(maxMatches: maxMatches)
        if attributes.isDirectory {
            let walker = WorkspaceWalker(workspace: context.workspace, ignoreRules: context.ignoreRules)
            walker.walk(from: scope) { entry in
                if entry.isDirectory || entry.isSymlink { return true }
                if Task.isCancelled { return false }
                search(
                    file: entry.absolute, relative: scope.displayPrefix + entry.relative, regex: regex,
                    into: &report)
                return !report.isFull
            }
        } else {
            search(file: scope.absolute, relative: scope.display, regex: regex, into: &report)
        }
        return .success(report.render(scope: scope))
    }

    private func search(file absolute: String, relative: String, regex: NSRegularExpression, into report: inout SearchReport) {
        guard let attributes = FileInspection.attributes(absolute), !attributes.isDirectory else { return }
        if attributes.size > maxFileBytes {
            report.skippedLarge.append(relative)
            return
        }
        guard let data = FileManager.default.contents(atPath: absolute), !FileInspection.looksBinary(data.prefix(FileInspection.sniffLength)) else {
            return
        }
        report.filesSearched += 1
        let text = String(decoding: data, as: UTF8.self) as NSString
        var lastLineStart = -1
        var lineNumber = 1
        var scanned = 0
        // The ICU callback is an escaping closure on Linux, so it fills a local copy.
        var local = report
        defer { report = local }
        regex.enumerateMatches(in: text as String, range: NSRange(location: 0, length: text.length)) { match, _, stop in
            guard let match else { return }
            let lineRange = text.lineRange(for: NSRange(location: match.range.location, length: 0))
            if lineRange.location == lastLineStart { return }  // one report per line
            lineNumber += Self.newlines(in: text, from: scanned, to: lineRange.location)
            scanned = lineRange.location
            lastLineStart = lineRange.location
            var line = text.substring(with: lineRange).trimmingCharacters(in: .newlines)
            if line.count > maxLineLength { line = String(line.prefix(maxLineLength)) + " …" }
            local.add("\(relative):\(lineNumber): \(line)")
            if local.isFull { stop.pointee = true }
        }
    }

    private static func newlines(in text: NSString, from start: Int, to end: Int) -> Int {
        var count = 0
        var index = start
        while index < end {
            if text.character(at: index) == 0x0A { count += 1 }
            index += 1
        }
        return count
    }
}

/// Collected search results and the notes about what was left out.
struct SearchReport {
    let maxMatches: Int
    var lines: [String] = []
    var filesSearched = 0
    var skippedLarge: [String] = []
    var isFull: Bool { lines.count >= maxMatches }

    init(maxMatches: Int) { self.maxMatches = maxMatches }

    mutating func add(_ line: String) { lines.append(line) }

    func render(scope: ResolvedPath) -> String {
        var text: String
        if lines.isEmpty {
            text = "No matches in \(scope.display) (\(filesSearched) text files searched)."
        } else {
            text = lines.joined(separator: "\n")
            if isFull {
                text += "\n… results cut at \(maxMatches) matching lines; use a more specific pattern or a narrower path to see the rest."
            }
        }
        if !skippedLarge.isEmpty {
            let names = skippedLarge.prefix(5).joined(separator: ", ") + (skippedLarge.count > 5 ? ", …" : "")
            text += "\n(\(skippedLarge.count) large files not searched: \(names); read them with read_file if needed.)"
        }
        return text
    }
}
