/// The standard coding tools of DESIGN.md §5, ready to register.
public enum CodingTools {
    /// `read_file`, `write_file`, `edit_file`, `list_files`, `search`, `run_command`, `view_media`.
    public static func standard(runner: CommandRunner, mediaMaxBytes: Int64? = 100 * 1024 * 1024) -> [any AgentTool] {
        [
            ReadFileTool(), WriteFileTool(), EditFileTool(), ListFilesTool(), SearchTool(),
            RunCommandTool(runner: runner), ViewMediaTool(maxBytes: mediaMaxBytes),
        ]
    }

    /// The read-only subset (for reviewers or agents that only inspect).
    public static func readOnly(mediaMaxBytes: Int64? = 100 * 1024 * 1024) -> [any AgentTool] {
        [ReadFileTool(), ListFilesTool(), SearchTool(), ViewMediaTool(maxBytes: mediaMaxBytes)]
    }
}
