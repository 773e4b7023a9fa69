import Foundation

/// `read_file(path, offset?, limit?)`: a page of a text file with line numbers.
///
/// Pages are bounded in lines and bytes, so a huge file never floods the context; the footer
/// says how to ask for the next page. The file is read in chunks, never all at once.
public struct ReadFileTool: AgentTool {
    /// Lines returned when the model gives no `limit`.
    public var defaultLimit: Int
    /// Upper bound on `limit`.
    public var maxLimit: Int
    /// Bytes of text per page; a page ends early (with a note) when it would exceed this.
    public var maxPageBytes: Int
    /// Characters kept of one very long line.
    public var maxLineLength: Int

    /// Creates the tool with its paging bounds.
    public init(defaultLimit: Int = 400, maxLimit: Int = 2000, maxPageBytes: Int = 64 * 1024, maxLineLength: Int = 2000) {
        self.defaultLimit = defaultLimit
        self.maxLimit = maxLimit
        self.maxPageBytes = maxPageBytes
        self.maxLineLength = maxLineLength
    }

    public var isReadOnly: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "read_file",
            description: "Read a text file of the workspace with line numbers. Large files come in pages: "
                + "offset is the first line (1-based), limit the number of lines (default \(defaultLimit)).",
            parameters: .objectSchema(
                [
                    "path": .property("string", "File path relative to the workspace root."),
                    "offset": .property("integer", "First line to show, 1-based (default 1)."),
                    "limit": .property("integer", "Number of lines to show (default \(defaultLimit), max \(maxLimit))."),
                ], required: ["path"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "read_file", json: arguments)
            let (context, path) = try context.scoped(try args.string("path"), writing: false)
            let resolved = try context.workspace.resolve(path)
            let offset = try args.optionalInt("offset") ?? 1
            let limit = try args.optionalInt("limit") ?? defaultLimit
            guard offset >= 1 else { return .failure("offset must be 1 or more (the first line is 1).") }
            guard limit >= 1 else { return .failure("limit must be 1 or more.") }
            if let problem = FileInspection.textFileProblem(resolved, tool: "read_file") { return .failure(problem) }
            return readPage(resolved, offset: offset, limit: min(limit, maxLimit))
        } catch {
            return .failure(String(describing: error))
        }
    }

    private func readPage(_ resolved: ResolvedPath, offset: Int, limit: Int) -> ToolOutcome {
        guard let reader = LineReader(path: resolved.absolute) else {
            return .failure("\(resolved.display) could not be opened for reading.")
        }
        var output = ""
        var lineNumber = 0
        var shown = 0
        var stoppedForSize = false
        while let line = reader.nextLine() {
            lineNumber += 1
            if lineNumber < offset { continue }
            if shown == limit { lineNumber -= 1; break }
            var text = String(decoding: line, as: UTF8.self)
            if text.count > maxLineLength { text = String(text.prefix(maxLineLength)) + " … [line cut]" }
            let rendered = String(format: "%6d\t", lineNumber) + text + "\n"
            if shown > 0, output.utf8.count + rendered.utf8.count > maxPageBytes {
                stoppedForSize = true
                lineNumber -= 1
                break
            }
            output += rendered
            shown += 1
        }
        if shown == 0 {
            if lineNumber == 0 { return .success("\(resolved.display) is empty.") }
            return .failure("\(resolved.display) has only \(lineNumber) lines; use an offset between 1 and \(lineNumber).")
        }
        let last = offset + shown - 1
        let more = reader.hasMore || stoppedForSize || lineNumber > last
        if more {
            output += "(showing lines \(offset)–\(last) of \(resolved.display); more follow: call read_file with offset=\(last + 1) to read the next page)"
        } else {
            output += "(end of \(resolved.display): \(last) lines)"
        }
        return .success(output)
    }
}

/// Reads a file line by line in fixed-size chunks (memory stays bounded by the longest line).
final class LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false

    init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Whether any bytes remain after the lines returned so far.
    var hasMore: Bool {
        if position < buffer.count { return true }
        readChunk()
        return position < buffer.count
    }

    /// Drops consumed bytes and appends the next chunk; sets `atEnd` at the end of the file.
    private func readChunk() {
        guard !atEnd else { return }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        if let chunk = try? handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
            buffer.append(contentsOf: chunk)
        } else {
            atEnd = true
        }
    }

    /// The next line without its terminator (`\n`, `\r\n`), or `nil` at the end of the file.
    func nextLine() -> [UInt8]? {
        var searchFrom = position
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[position..<end])
                position = newline + 1
                return line
            }
            if atEnd {
                guard position < buffer.count else { return nil }
                let line = Array(buffer[position...])
                position = buffer.count
                return line
            }
            let scanned = buffer.count - position
            readChunk()
            searchFrom = position + scanned
        }
    }
}
