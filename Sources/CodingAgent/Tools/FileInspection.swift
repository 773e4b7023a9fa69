import Foundation

/// Small file helpers shared by the file tools: binary detection and bounded reads.
enum FileInspection {
    /// Bytes examined to decide whether a file is binary.
    static let sniffLength = 8192

    /// The first `count` bytes of the file (fewer when it is shorter), or `nil` when unreadable.
    static func head(of path: String, count: Int = sniffLength) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return try? handle.read(upToCount: count) ?? Data()
    }

    /// A file is treated as binary when its head holds a NUL byte or is not UTF-8 text.
    static func looksBinary(_ head: Data) -> Bool {
        if head.contains(0) { return true }
        // A multi-byte character may be cut at the end of the sample; allow up to 3 trailing bytes.
        for cut in 0...min(3, head.count) {
            if String(validating: head.dropLast(cut), as: UTF8.self) != nil { return false }
        }
        return true
    }

    /// Size and kind of the item at `path` (following symlinks), or `nil` when missing.
    static func attributes(_ path: String) -> (isDirectory: Bool, size: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return ((info.st_mode & S_IFMT) == S_IFDIR, Int64(info.st_size))
    }

    /// The error a file tool reports when `path` is missing, a directory, or binary.
    static func textFileProblem(_ resolved: ResolvedPath, tool: String) -> String? {
        guard let attributes = attributes(resolved.absolute) else {
            return "\(resolved.display) does not exist. Use list_files to see which files exist."
        }
        if attributes.isDirectory {
            return "\(resolved.display) is a directory, not a file. Use list_files with path=\(resolved.display) to see its contents."
        }
        if let head = head(of: resolved.absolute), looksBinary(head) {
            let kind = MediaSniffer.detect(head).map { " (\($0.mimeType))" } ?? ""
            return "\(resolved.display) is a binary file\(kind) of \(attributes.size) bytes, so \(tool) cannot show it as text. "
                + "Use view_media for images, audio, video and PDF files."
        }
        return nil
    }
}
