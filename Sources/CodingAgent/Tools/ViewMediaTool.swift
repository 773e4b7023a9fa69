import GitWorkspace

/// `view_media(path)`: shows an image, audio, video or PDF file of the workspace to the model.
///
/// The result carries a `MediaReference` (path, MIME from magic bytes, size, SHA-256) as a
/// media part; the loop attaches it to the next message and the backend encodes the file while
/// the request streams, so the bytes are never held in memory here.
public struct ViewMediaTool: AgentTool {
    /// Files larger than this are refused (the provider would reject them anyway); `nil` = no limit.
    public var maxBytes: Int64?

    /// Creates the tool.
    public init(maxBytes: Int64? = 100 * 1024 * 1024) {
        self.maxBytes = maxBytes
    }

    public var isReadOnly: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "view_media",
            description: "Look at an image, audio, video or PDF file of the workspace. The file is attached to the "
                + "conversation so you can see or hear it.",
            parameters: .objectSchema(
                ["path": .property("string", "Media file path relative to the workspace root.")], required: ["path"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "view_media", json: arguments)
            let (context, path) = try context.scoped(try args.string("path"), writing: false)
            let resolved = try context.workspace.resolve(path)
            guard let attributes = FileInspection.attributes(resolved.absolute) else {
                return .failure("\(resolved.display) does not exist. Use list_files to see which files exist.")
            }
            if attributes.isDirectory { return .failure("\(resolved.display) is a directory, not a media file.") }
            if let maxBytes, attributes.size > maxBytes {
                return .failure("\(resolved.display) is \(attributes.size) bytes, over the \(maxBytes)-byte limit for media.")
            }
            // Hashing a large file blocks: off the cooperative pool, beside the other agents.
            let absolute = resolved.absolute
            guard let (reference, kind) = try await BlockingWork.run({ try MediaSniffer.reference(forFileAt: absolute) })
            else {
                if let head = FileInspection.head(of: resolved.absolute), !FileInspection.looksBinary(head) {
                    return .failure("\(resolved.display) is a text file, not media; use read_file to read it.")
                }
                return .failure(
                    "\(resolved.display) is not a recognised media file (supported: PNG, JPEG, GIF, WebP, BMP, TIFF, HEIC, "
                        + "WAV, MP3, AAC, FLAC, Ogg, M4A, MP4, MOV, WebM, MKV, AVI, PDF).")
            }
            let part: ContentPart
            switch kind {
            case .image: part = .image(reference)
            case .audio: part = .audio(reference)
            case .video: part = .video(reference)
            case .file: part = .file(reference)
            }
            return .success(
                "Attached \(resolved.display) (\(reference.mimeType), \(reference.byteCount) bytes) for you to look at; it follows this result.",
                media: [part])
        } catch let error as ToolArgumentError {
            return .failure(error.description)
        } catch let error as WorkspacePathError {
            return .failure(error.description)
        } catch {
            return .failure("Could not read the media file: \(error)")
        }
    }
}
