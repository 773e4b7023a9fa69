import CodingAgent
import Foundation
import GitWorkspace

/// One reviewer of `mg review`: the tests at the change in its worktree, then an `AgentLoop` with
/// the read-only tools, `run_command` and `review_verdict`; everything it does is recorded.
struct Reviewer: Sendable {
    /// How one reviewer ended.
    enum Result: Sendable {
        case review(AgentReview)
        /// Its backend was unavailable or refused the key.
        case unavailable(String)
        /// It ended without a verdict.
        case failed(String)
    }

    let session: String
    let store: SessionStore
    let events: SessionEvents
    let evidence: EvidenceRunner
    let folder: SessionFolder
    let settings: ReviewSession.Settings
    let prompt: String
    let target: ReviewTarget
    let patch: String

    func review(_ spec: AgentSpec, in worktree: AgentWorktree) async -> Result {
        let id = spec.id
        await events.phase(.testing, agent: id)
        let tests = await evidence.run(in: worktree.path)
        if let tests {
            try? store.recordTestResult(
                TestResultRecord(
                    session: session, turn: 1, agent: id, commitID: target.head.hex, passed: tests.passed,
                    passedCount: tests.passedCount ?? 0, failedCount: tests.failedCount ?? 0,
                    failingNames: tests.failedTests, outputTail: tests.outputTail,
                    durationSeconds: Double(tests.durationMilliseconds) / 1000))
            await events.emit(.testResult, agent: id) {
                $0.commit = target.head.hex
                $0.passed = tests.passed
                $0.passedCount = tests.passedCount
                $0.failedTests = tests.failedTests
                $0.detail = tests.headline
            }
        }
        let context: ToolContext
        do {
            context = .gitAware(workspace: try WorkspaceRoot(worktree.path))
        } catch {
            return await failed(id, "its worktree is unusable: \(error)")
        }
        var tools = ToolRegistry(CodingTools.readOnly() + [RunCommandTool(runner: CommandRunner())])
        tools.register(ReviewVerdictTool(agent: id))
        var system = prompt
        if let extra = spec.systemMessage?.trimmingCharacters(in: .whitespacesAndNewlines), !extra.isEmpty {
            system += "\n\n" + extra
        }
        await events.phase(.thinking, agent: id)
        let recorder: any TranscriptRecorder = (try? folder.transcriptRecorder(agent: id + ".turn1")) ?? DiscardingRecorder()
        let loop = AgentLoop(
            backend: spec.backend, tools: tools,
            configuration: AgentLoopConfiguration(
                model: spec.model, systemPrompt: system, settings: spec.settings,
                limits: AgentLimits(maxSteps: settings.maxSteps, deadline: .now + settings.timeout)),
            context: context, recorder: recorder, costMeter: spec.pricer)
        let result = await loop.run(messages: [.text(.user, message(tests))])
        try? store.recordUsage(
            UsageRecord(
                session: session, turn: 1, agent: id, model: spec.model, inputTokens: result.usage.inputTokens,
                outputTokens: result.usage.outputTokens, cachedInputTokens: result.usage.cachedInputTokens,
                costUSD: result.costUSD))
        switch result.outcome {
        case .terminal(_, let payload):
            guard let review = try? AgentReview.parse(payload, agent: id) else {
                return await failed(id, "its verdict could not be read")
            }
            await record(review)
            return .review(review)
        case .backendFailed(let error) where Self.isUnavailable(error):
            await events.phase(.failed, agent: id, reason: error.description)
            return .unavailable(error.description)
        default:
            return await failed(id, result.outcome.summary)
        }
    }

    private func record(_ review: AgentReview) async {
        try? store.recordVote(
            StoredVote(
                session: session, turn: 1, round: 1, voter: review.agent, target: review.verdict.rawValue,
                reason: review.summary))
        for finding in review.findings {
            try? store.recordFinding(session: session, turn: 1, agent: review.agent, finding: finding)
        }
        await events.emit(.vote, agent: review.agent) {
            $0.target = review.verdict.rawValue
            $0.accepted = true
            $0.detail = review.summary
        }
        await events.phase(.done, agent: review.agent)
    }

    private func failed(_ agent: String, _ reason: String) async -> Result {
        await events.phase(.failed, agent: agent, reason: reason)
        return .failed(reason)
    }

    /// The first message: the change, its diff, and the tests mg ran on it.
    private func message(_ tests: TestEvidence?) -> String {
        var text = "Review the change \(target.label) (\(target.base.short)..\(target.head.short)).\n\n"
        if let tests {
            text += "Tests at the change (`\(tests.command)`): \(tests.headline)\n"
            if !tests.passed { text += "End of the output:\n\(tests.outputTail)\n" }
        } else {
            text += "No test command is configured or detected; run what checks you can.\n"
        }
        return text + "\nThe diff:\n\n" + patch
    }

    /// Errors that mean the backend cannot be used now (exit 69), not that the reviewer misbehaved.
    static func isUnavailable(_ error: BackendError) -> Bool {
        switch error {
        case .unauthorized, .quotaExceeded, .network, .timeout, .serverError: true
        default: false
        }
    }
}
