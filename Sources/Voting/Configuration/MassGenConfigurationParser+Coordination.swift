import CodingAgent

/// MassGen's planning mode: agents describe actions with external effects instead of taking
/// them during coordination.
public struct PlanningMode: Sendable, Hashable {
    /// MassGen's default `planning_mode_instruction`.
    public static let defaultInstruction =
        "During coordination, describe what you would do without actually executing actions. Only provide concrete "
        + "implementation details without calling external APIs or tools."

    /// The text added to every agent's system prompt.
    public var instruction: String

    /// Planning mode with `instruction`.
    public init(instruction: String = PlanningMode.defaultInstruction) {
        self.instruction = instruction
    }
}

extension MassGenConfigurationParser {
    /// MassGen's coordination keys of `orchestrator:`; false when `key` is not one of them.
    mutating func readCoordinationKey(
        _ key: String, _ item: YAMLValue, into coding: inout CodingSettings
    ) throws(ConfigurationError) -> Bool {
        switch key {
        case "coordination": try readCoordination(item, into: &coding)
        case "answer_novelty_requirement":
            let text = try item.string().lowercased()
            guard let novelty = AnswerNovelty(rawValue: text) else {
                throw item.invalid("one of " + AnswerNovelty.allCases.map(\.rawValue).joined(separator: ", "))
            }
            coding.answerNovelty = novelty
        case "skip_coordination_rounds": coding.skipCoordinationRounds = try item.bool()
        case "debug_final_answer":
            warn(
                item,
                "it replaces the answer MassGen's post-evaluation checks; mg has no post-evaluation (the tests and gate commands judge the winner)"
            )
        case "dspy":
            warn(
                item,
                "mg does not paraphrase the task for each agent; its agents differ by model and blind ballots"
            )
        default: return false
        }
        return true
    }

    /// `orchestrator.coordination`: planning mode is honoured; MassGen's task-planning, memory
    /// and skills tools and post-evaluation restarts are not offered.
    private mutating func readCoordination(_ value: YAMLValue, into coding: inout CodingSettings)
        throws(ConfigurationError)
    {
        var enabled = false
        var instruction: String?
        for (key, item) in try value.entries() {
            switch key {
            case "enable_planning_mode": enabled = try item.bool()
            case "planning_mode_instruction": instruction = try item.string()
            case "max_orchestration_restarts":
                if try item.int() > 0 {
                    warn(
                        item,
                        "mg has no post-evaluation that could restart the round; the tests and gate commands judge the winner"
                    )
                }
            case "enable_agent_task_planning", "task_planning_filesystem_mode", "max_tasks_per_plan":
                warn(item, "mg offers no task-planning tools")
            case "enable_memory_filesystem_mode":
                warn(item, "mg offers no memory tools; mg continue restores a session's history")
            case "use_skills", "skills_directory", "massgen_skills": warn(item, "mg has no skills system")
            default: warn(item)
            }
        }
        if enabled {
            coding.planningMode = PlanningMode(instruction: instruction ?? PlanningMode.defaultInstruction)
        } else if let instruction, !instruction.isEmpty,
            let site = try value.entries().first(where: { $0.key == "planning_mode_instruction" })
        {
            warn(site.value, "enable_planning_mode is not true", kind: .notNeeded)
        }
    }
}
