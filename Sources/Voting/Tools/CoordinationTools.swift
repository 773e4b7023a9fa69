import CodingAgent

/// The orchestrator's tools for one agent, next to the coding tools: `new_answer`, `vote`,
/// `view_answer` and `adopt_answer` (DESIGN.md §5; MassGen's schemas for the first two).
public enum CoordinationTools {
    /// The four tools bound to `agent` (its configuration index) of `coordinator`;
    /// `anonymousIDs` is every agent's anonymous id, the enum of `agent_id`.
    public static func tools(coordinator: SessionCoordinator, agent: Int, anonymousIDs: [String])
        -> [any AgentTool]
    {
        [
            NewAnswerTool(coordinator: coordinator, agent: agent),
            VoteTool(coordinator: coordinator, agent: agent, anonymousIDs: anonymousIDs),
            ViewAnswerTool(coordinator: coordinator, anonymousIDs: anonymousIDs),
            AdoptAnswerTool(coordinator: coordinator, agent: agent, anonymousIDs: anonymousIDs),
        ]
    }

    static func agentIDProperty(_ ids: [String], _ description: String) -> JSONValue {
        // Sorted, never in configuration order: the order must not reveal who is who.
        let sorted = ids.sorted { ($0.count, $0) < ($1.count, $1) }
        return .object([
            "type": .string("string"), "enum": .array(sorted.map { .string($0) }),
            "description": .string(description),
        ])
    }
}

/// `new_answer(content)`: submit the worktree's current state as this agent's next answer.
public struct NewAnswerTool: AgentTool {
    let coordinator: SessionCoordinator
    let agent: Int

    public var isTerminal: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "new_answer",
            description:
                "Submit your current worktree as your answer. mg commits all your changes and runs the tests on them. "
                + "content: what was wrong, what you changed, how you verified it (becomes the commit message). "
                + "Ends your turn; call it or vote, not both.",
            parameters: .objectSchema(
                ["content": .property("string", "Summary of your change and how you verified it.")],
                required: ["content"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let content = try ToolArguments(toolName: "new_answer", json: arguments).string("content")
            return await coordinator.submitAnswer(agent, content: content)
        } catch {
            return .failure(error.description)
        }
    }
}

/// `vote(agent_id, reason)`: vote for the best existing answer.
public struct VoteTool: AgentTool {
    let coordinator: SessionCoordinator
    let agent: Int
    let anonymousIDs: [String]

    public var isTerminal: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "vote",
            description: "Vote for the best existing answer (possibly your own) when none can be improved. "
                + "Ends your turn; call it or new_answer, not both.",
            parameters: .objectSchema(
                [
                    "agent_id": CoordinationTools.agentIDProperty(
                        anonymousIDs, "The id of the answer you vote for."),
                    "reason": .property(
                        "string", "Why this answer is the best: tests, correctness, minimal diff, quality."),
                ], required: ["agent_id", "reason"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "vote", json: arguments)
            let target = try args.string("agent_id")
            let reason = try args.optionalString("reason") ?? ""
            return await coordinator.submitVote(agent, target: target, reason: reason)
        } catch {
            return .failure(error.description)
        }
    }
}

/// `view_answer(agent_id, path?)`: read another answer's changed files or one of its files.
public struct ViewAnswerTool: AgentTool {
    let coordinator: SessionCoordinator
    let anonymousIDs: [String]

    public var isReadOnly: Bool { true }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "view_answer",
            description:
                "Read an answer: without path, its summary and changed files; with path, that file's content in the answer.",
            parameters: .objectSchema(
                [
                    "agent_id": CoordinationTools.agentIDProperty(
                        anonymousIDs, "The id of the answer to read."),
                    "path": .property("string", "A file path relative to the repository root (optional)."),
                ], required: ["agent_id"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let args = try ToolArguments(toolName: "view_answer", json: arguments)
            return await coordinator.viewAnswer(
                target: try args.string("agent_id"), path: try args.optionalString("path"))
        } catch {
            return .failure(error.description)
        }
    }
}

/// `adopt_answer(agent_id)`: reset this agent's worktree to another answer and build on it.
public struct AdoptAnswerTool: AgentTool {
    let coordinator: SessionCoordinator
    let agent: Int
    let anonymousIDs: [String]

    public var definition: ToolDefinition {
        ToolDefinition(
            name: "adopt_answer",
            description:
                "Start over from another agent's answer: your worktree is reset to that answer's files "
                + "(your unfinished work is saved on your branch first). Then improve it and call new_answer.",
            parameters: .objectSchema(
                [
                    "agent_id": CoordinationTools.agentIDProperty(
                        anonymousIDs, "The id of the answer to start from.")
                ],
                required: ["agent_id"]))
    }

    public func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let target = try ToolArguments(toolName: "adopt_answer", json: arguments).string("agent_id")
            return await coordinator.adoptAnswer(agent, target: target)
        } catch {
            return .failure(error.description)
        }
    }
}
