/// What a tool hands back to the loop: text for the model, optional media, and, for terminal
/// tools, the payload the loop returns to its caller.
public struct ToolOutcome: Sendable, Hashable {
    /// The text the model reads as the tool's result.
    public var text: String
    /// Whether the call failed; the model sees the text either way and can correct itself.
    public var isError: Bool
    /// Media the model should look at next (image/audio/video/file parts), sent after the result.
    public var media: [ContentPart]
    /// Set by terminal tools on success: the loop stops and returns this payload.
    public var terminalPayload: JSONValue?

    /// Creates an outcome; prefer `success`, `failure` and `terminal`.
    public init(text: String, isError: Bool = false, media: [ContentPart] = [], terminalPayload: JSONValue? = nil) {
        self.text = text
        self.isError = isError
        self.media = media
        self.terminalPayload = terminalPayload
    }

    /// A successful result the model reads.
    public static func success(_ text: String, media: [ContentPart] = []) -> ToolOutcome {
        ToolOutcome(text: text, media: media)
    }

    /// A failed call; `message` should say what went wrong and how to call the tool correctly.
    public static func failure(_ message: String) -> ToolOutcome {
        ToolOutcome(text: message, isError: true)
    }

    /// A successful call of a terminal tool: the loop ends and returns `payload`.
    public static func terminal(_ text: String, payload: JSONValue) -> ToolOutcome {
        ToolOutcome(text: text, terminalPayload: payload)
    }
}

/// Everything a tool may use while it runs: the workspace it is confined to, the ignore rules
/// for listings and searches, and a channel for warnings meant for people, not the model.
public struct ToolContext: Sendable {
    /// The agent's root; every path argument resolves inside it.
    public var workspace: WorkspaceRoot
    /// Which files listings and searches skip.
    public var ignoreRules: any IgnoreRules
    /// The id of the call being served (for logs and recorders).
    public var callID: String
    /// Receives operator-facing warnings (e.g. "commands run unsandboxed").
    public var warn: @Sendable (String) -> Void
    /// Paths `write_file` and `edit_file` refuse to change.
    public var protection: ProtectedPaths
    /// Folders and files outside the workspace reached by absolute path (MassGen's `context_paths`).
    public var contextRoots: [ContextRoot] = []

    /// Creates a context; ignore rules default to skipping only `.git` and `.massgen`, and
    /// protection to mg's default protected paths.
    public init(
        workspace: WorkspaceRoot, ignoreRules: any IgnoreRules = MetadataIgnoreRules(), callID: String = "",
        protection: ProtectedPaths = ProtectedPaths(), warn: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.workspace = workspace
        self.ignoreRules = ignoreRules
        self.callID = callID
        self.protection = protection
        self.warn = warn
    }

    /// The refusal for changing `path`, phrased for the model, or `nil` when it may change it.
    public func protectionRefusal(_ path: ResolvedPath, tool: String) -> String? {
        guard let reason = protection.reason(for: path.relative) else { return nil }
        return "\(tool) refused: \(reason). Leave it unchanged."
    }
}

/// A tool the agent loop can offer to a model.
///
/// Coding tools live in this folder; the orchestrator defines its own (`view_answer`,
/// `new_answer`, `vote`) by conforming to the same protocol.
public protocol AgentTool: Sendable {
    /// Name, description and JSON Schema of the arguments, as sent to the model.
    var definition: ToolDefinition { get }
    /// Read-only tools never change the workspace, so consecutive calls may run concurrently.
    var isReadOnly: Bool { get }
    /// A successful call of a terminal tool ends the loop with the outcome's payload.
    var isTerminal: Bool { get }
    /// Runs one call. Failures are returned as `ToolOutcome.failure`, never thrown: the model
    /// must be able to read them and try again.
    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome
}

extension AgentTool {
    /// Tools change things unless they say otherwise.
    public var isReadOnly: Bool { false }
    /// Most tools are not terminal.
    public var isTerminal: Bool { false }
    /// The tool's name, from its definition.
    public var name: String { definition.name }
}

extension JSONValue {
    /// An object schema with the given properties and required keys, for tool definitions.
    public static func objectSchema(_ properties: [String: JSONValue], required: [String] = []) -> JSONValue {
        .object([
            "type": .string("object"),
            "properties": .object(properties),
            "required": .array(required.map { .string($0) }),
            "additionalProperties": .bool(false),
        ])
    }

    /// A property schema: `{"type": type, "description": description}`.
    public static func property(_ type: String, _ description: String) -> JSONValue {
        .object(["type": .string(type), "description": .string(description)])
    }
}
