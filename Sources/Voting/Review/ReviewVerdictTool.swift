import CodingAgent

/// One reviewer's conclusion: its verdict, a summary, and its findings.
public struct AgentReview: Sendable, Hashable, Codable {
    /// The reviewer's configured id.
    public var agent: String
    /// approve / request_changes.
    public var verdict: ReviewVerdict
    /// Why, in a few sentences.
    public var summary: String
    /// What it found.
    public var findings: [ReviewFinding]

    /// Reads `review_verdict`'s arguments; throws a message the model can act on.
    static func parse(_ arguments: JSONValue, agent: String) throws(ToolArgumentError) -> AgentReview {
        let args = try ToolArguments(toolName: "review_verdict", json: arguments)
        let verdictText = try args.string("verdict")
        guard let verdict = ReviewVerdict(rawValue: verdictText) else {
            throw .wrongType(
                tool: "review_verdict", argument: "verdict", expected: "\"approve\" or \"request_changes\"",
                received: "\"\(verdictText)\"")
        }
        var findings: [ReviewFinding] = []
        if case .object(let object) = arguments, case .array(let items)? = object["findings"] {
            for (index, item) in items.enumerated() {
                guard case .object(let fields) = item, case .string(let path)? = fields["path"], !path.isEmpty,
                    case .string(let text)? = fields["text"], !text.isEmpty
                else {
                    throw .missing(
                        tool: "review_verdict", argument: "findings[\(index)].path and .text", expected: "non-empty strings")
                }
                var line: Int?
                if case .number(let number)? = fields["line"], number >= 1 { line = Int(number) }
                var severity = FindingSeverity.minor
                if case .string(let name)? = fields["severity"] {
                    guard let known = FindingSeverity(rawValue: name) else {
                        throw .wrongType(
                            tool: "review_verdict", argument: "findings[\(index)].severity",
                            expected: "critical, major, minor or info", received: "\"\(name)\"")
                    }
                    severity = known
                }
                findings.append(ReviewFinding(path: path, line: line, severity: severity, text: text, agents: [agent]))
            }
        }
        return AgentReview(
            agent: agent, verdict: verdict, summary: try args.optionalString("summary") ?? "", findings: findings)
    }
}

/// `review_verdict(verdict, summary, findings)`: ends a reviewer's turn with its conclusion.
struct ReviewVerdictTool: AgentTool {
    let agent: String

    var isTerminal: Bool { true }

    var definition: ToolDefinition {
        let finding = JSONValue.objectSchema(
            [
                "path": .property("string", "File path relative to the repository root."),
                "line": .property("integer", "Line in the changed version of the file (optional)."),
                "severity": .object([
                    "type": .string("string"), "enum": .array(FindingSeverity.allCases.map { .string($0.rawValue) }),
                    "description": .string("critical, major, minor or info."),
                ]),
                "text": .property("string", "What is wrong and how to fix it."),
            ], required: ["path", "severity", "text"])
        return ToolDefinition(
            name: "review_verdict",
            description: "Give your verdict on the change, with your findings. Ends your review; call it once.",
            parameters: .objectSchema(
                [
                    "verdict": .object([
                        "type": .string("string"), "enum": .array([.string("approve"), .string("request_changes")]),
                        "description": .string("approve, or request_changes when something must be fixed first."),
                    ]),
                    "summary": .property("string", "Your conclusion in a few sentences."),
                    "findings": .object([
                        "type": .string("array"), "items": finding,
                        "description": .string("The problems you found (empty when none)."),
                    ]),
                ], required: ["verdict", "summary"]))
    }

    func run(arguments: JSONValue, context: ToolContext) async -> ToolOutcome {
        do {
            let review = try AgentReview.parse(arguments, agent: agent)
            return .terminal(
                "Your verdict (\(review.verdict.rawValue)) and \(review.findings.count) finding(s) are recorded.",
                payload: arguments)
        } catch {
            return .failure(error.description)
        }
    }
}
