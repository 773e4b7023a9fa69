/// How an agent's tool calls travel (config `tool_mode`).
///
/// Small local models often cannot use the provider's tool-call channel: Qwen2.5-Coder-0.5B
/// invents tool names that llama.cpp rejects with HTTP 500, the 1.5B writes most calls as fenced
/// JSON or prose. In text mode the tools are described in the system prompt with one strict call
/// format and the calls are parsed from the reply, which such models manage far more often.
public enum ToolMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The provider's tool-call channel (`tools` in the request, `tool_calls` in the reply).
    case native
    /// Tools described in the prompt; calls parsed from the reply's text.
    case text
    /// Native first; text for the rest of the session once the server rejects the model's own
    /// output (llama.cpp's HTTP 500 "does not match the expected … format") or after repeated
    /// turns with no call that could be parsed.
    case auto
}

/// How an agent may change files without calling tools (config `edit_format`), after aider's
/// edit formats: a model that only writes code blocks still produces an answer.
public enum EditFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only tool calls change files.
    case none
    /// A file's path on its own line, then the complete new file in a fenced code block.
    case whole
    /// aider's SEARCH/REPLACE blocks under the file's path.
    case diff
}

/// The terminal tool a turn of code blocks is submitted with (the orchestrator's `new_answer`):
/// with an edit format, a reply whose only content is file edits is applied and then submitted
/// through this tool, its prose becoming the answer's summary.
public struct AnswerSubmission: Sendable, Hashable {
    /// The tool's name, e.g. `new_answer`.
    public var toolName: String
    /// Its string argument that carries the summary, e.g. `content`.
    public var argument: String

    /// Creates the submission target.
    public init(toolName: String, argument: String) {
        self.toolName = toolName
        self.argument = argument
    }
}
