import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

/// Sessions whose agents are programs: CLI coding agents (stand-ins speaking Claude Code's and
/// Codex's documented stream formats, a `command` agent), and AG2 / LangChain through mg's
/// adapters against a scripted OpenAI-compatible server. Their answers go through the same
/// commit, test and gate path as an API agent's.
@Suite struct ExternalAgentSessionTests {
    typealias F = CalculatorFixture

    /// A `command` agent: a shell script given {task_file} and {context_file}; wrong fix first, then votes.
    static func commandAgent(_ folder: String) throws -> ExternalAgentSpec {
        let script = folder + "/agent.sh"
        try """
            #!/bin/sh
            grep -q "add 2 3" "$1" || { echo "task file is wrong" >&2; exit 3; }
            if grep -q "You have not given an answer yet" "$2"; then
              sed -i 's/\\$1 - \\$2/$1 * $2/' calc.sh
              echo "Made add() multiply."
            elif grep -q "^## agent1 " "$2"; then
              echo '{"mg": "vote", "agent_id": "agent1", "reason": "agent1 passes the tests"}'
            else
              echo '{"mg": "vote", "agent_id": "agent3", "reason": "the only answer so far"}'
            fi

            """.write(toFile: script, atomically: true, encoding: .utf8)
        return ExternalAgentSpec(kind: .command, program: "/bin/sh", arguments: [script, "{task_file}", "{context_file}"])
    }

    /// What a session with one program and a scripted judge (voting agent1) produced.
    struct JudgedRun {
        var outcome: SessionOutcome
        var sink: CollectingEventSink
        var recorder: InMemorySessionRecorder
        /// The program's events, one line each, for failure messages.
        var trail: [String]
    }

    /// Runs `program` (agent1) next to a scripted judge that votes for agent1.
    static func judgedSession(_ id: String, _ program: ExternalAgentSpec, in repository: TemporaryRepository) async throws
        -> JudgedRun
    {
        let agents = [AgentSpec.external(id: id, program), F.agent("judge", [Turn.vote("agent1")] + Turn.votes("agent1"))]
        let sink = CollectingEventSink()
        let recorder = InMemorySessionRecorder()
        let outcome = try await CodingOrchestrator().run(
            task: "add 2 3 prints -1", repositoryRoot: repository.path, agents: agents, settings: F.settings(),
            events: sink, recorder: recorder)
        let trail = await sink.events.filter { $0.agent == id }.map {
            "\($0.kind) \($0.tool ?? "") \($0.reason ?? $0.message ?? $0.detail ?? "")"
        }
        return JudgedRun(outcome: outcome, sink: sink, recorder: recorder, trail: trail)
    }

    @Test func cliAgentsAnswerAndVoteThroughTheSessionsOwnPath() async throws {
        let repository = try F.repository()
        let log = NSTemporaryDirectory() + "mg-fake-claude-\(UUID().uuidString.prefix(8)).jsonl"
        var claude = ExternalAgentSpec(kind: .claudeCode, program: try FakeAgentPrograms.claude(), model: "claude-sonnet-4-5")
        claude.environment = ["FAKE_LOG": log]
        claude.maxTurns = 7
        let codex = ExternalAgentSpec(kind: .codex, program: try FakeAgentPrograms.codex(), model: "gpt-5-codex")
        let folder = NSTemporaryDirectory() + "mg-cmd-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let meter = CostMeter(prices: .standard)
        let agents = [
            AgentSpec.external(id: "claude", claude, costMeter: meter),
            AgentSpec.external(id: "codex", codex, costMeter: meter),
            AgentSpec.external(id: "shell", try Self.commandAgent(folder)),
        ]
        let sink = CollectingEventSink()
        let recorder = InMemorySessionRecorder()
        let outcome = try await CodingOrchestrator().run(
            task: "add 2 3 prints -1 instead of 5", repositoryRoot: repository.path, agents: agents,
            settings: F.settings(), events: sink, recorder: recorder)

        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "claude")
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        // Each program's answer is a commit on its branch with mg's trailers, tested like any answer.
        let results = await sink.events(of: .testResult)
        let passed = Dictionary(results.map { ($0.agent ?? "", $0.passed ?? false) }, uniquingKeysWith: { $1 })
        #expect(passed == ["claude": true, "codex": true, "shell": false])
        for agent in ["claude", "codex", "shell"] {
            let trailers = try repository.git("log", "-1", "--format=%(trailers:only)", "massgen/\(F.settings().sessionID ?? "")/\(agent)")
            #expect(trailers.contains("Mg-Agent: \(agent)"), "\(agent): \(trailers)")
        }
        let answers = await sink.events(of: .answer).filter { $0.accepted == true }
        #expect(answers.first { $0.agent == "claude" }?.detail == "Fixed add() in calc.sh: $1 - $2 became $1 + $2.")
        #expect(answers.first { $0.agent == "codex" }?.detail == "Changed calc.sh so add() adds.")
        #expect(answers.first { $0.agent == "shell" }?.detail == "Made add() multiply.")
        // Votes came from the final JSON lines.
        let votes = await sink.events(of: .vote).filter { $0.accepted == true }
        let refusals = await sink.events(of: .vote).filter { $0.accepted == false }.map { "\($0.agent ?? ""): \($0.reason ?? "")" }
        #expect(Set(votes.map { $0.agent ?? "" }) == ["claude", "codex", "shell"], "\(refusals)")
        let final = Dictionary(votes.map { ($0.agent ?? "", $0.target ?? "") }, uniquingKeysWith: { $1 })
        #expect(final == ["claude": "agent1", "codex": "agent1", "shell": "agent1"])
        // Their own tools streamed into the live view; tokens and cost were counted.
        let tools = await sink.events(of: .toolCall).map { "\($0.agent ?? ""):\($0.tool ?? "")" }
        #expect(tools.contains("claude:Edit") && tools.contains("codex:shell") && tools.contains("codex:apply_patch"))
        let usage = await recorder.changes.compactMap { change -> UsageEntry? in
            if case .usage(let entry) = change { return entry } else { return nil }
        }
        let claudeUsage = usage.filter { $0.agent == "claude" }
        // One entry per run: it answered, voted, and voted again if answers arrived after its vote.
        #expect(claudeUsage.count >= 2)
        #expect(claudeUsage.allSatisfy { $0.usage.inputTokens == 1200 && $0.usage.cachedInputTokens == 300 && $0.costUSD == 0.0123 })
        #expect(usage.contains { $0.agent == "codex" && $0.usage.inputTokens == 900 && $0.usage.outputTokens == 60 })
        // …and in the agents' meter (the live view's figures): Claude Code's reported cost as given.
        #expect(meter.allRecords.contains { $0.model == "claude-sonnet-4-5" && $0.costUSD == 0.0123 })
        #expect(meter.allRecords.contains { $0.model == "gpt-5-codex" && $0.usage.outputTokens == 60 })
        // Claude Code was started in its worktree with the documented flags and the task on stdin.
        let first = try #require(String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").first)
        let call = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        let args = call["args"] as? [String] ?? []
        #expect((call["cwd"] as? String)?.hasSuffix(".massgen/workspaces/\(F.settings().sessionID ?? "")/claude") == true)
        #expect(args.starts(with: ["-p", "--output-format", "stream-json", "--verbose", "--permission-mode"]))
        #expect(args.contains("--max-turns") && args.contains("claude-sonnet-4-5"))
        #expect((call["prompt"] as? String)?.contains("add 2 3 prints -1 instead of 5") == true)
        #expect((call["prompt"] as? String)?.contains("{\"mg\": \"answer\"") == true)
        try repository.fsck()
    }

    @Test func aProgramThatFailsDropsOnlyThatAgent() async throws {
        let repository = try F.repository()
        let broken = ExternalAgentSpec(kind: .command, program: "/bin/sh", arguments: ["-c", "echo 'model quota exhausted' >&2; exit 4"])
        let agents = [
            F.agent("fixer", [F.correctFix, Turn.answer("Fix add().")] + Turn.votes("agent1")),
            AgentSpec.external(id: "broken", broken),
        ]
        let sink = CollectingEventSink()
        let outcome = try await CodingOrchestrator().run(
            task: "fix add", repositoryRoot: repository.path, agents: agents, settings: F.settings(), events: sink)
        #expect(outcome.exitCode == 0)
        #expect(outcome.winner == "fixer")
        let failed = await sink.events(of: .agentState).first { $0.agent == "broken" && $0.phase == .failed }
        #expect(failed?.reason?.contains("/bin/sh ended with exit code 4") == true, "\(failed?.reason ?? "none")")
        #expect(failed?.reason?.contains("model quota exhausted") == true)
    }

    @Test(arguments: [ExternalAgentSpec.Kind.langchain, .ag2])
    func frameworkAdaptersDriveAModelThroughTheProtocol(_ kind: ExternalAgentSpec.Kind) async throws {
        let peers = try PythonPeers.installed()
        let repository = try F.repository()
        let model = ScriptedCodingModel()
        let server = try LoopbackHTTPServer(options: .init(keepAlive: false)) { model.reply($0) }
        defer { server.stop() }
        let adapter = ExternalAgentSpec(kind: kind, program: peers.python, model: "qwen-test", baseURL: server.url("/v1"))
        let run = try await Self.judgedSession(kind.rawValue, adapter, in: repository)
        let (outcome, sink, recorder) = (run.outcome, run.sink, run.recorder)
        #expect(outcome.exitCode == 0, "\(run.trail)")
        #expect(outcome.winner == kind.rawValue)
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        let answer = await sink.events(of: .answer).first { $0.agent == kind.rawValue && $0.accepted == true }
        #expect(answer?.detail == "Fixed add() in calc.sh.")
        // The adapter called mg's tools (edit_file in its worktree, then new_answer, then vote).
        let tools = await sink.events(of: .toolCall).filter { $0.agent == kind.rawValue }.map { $0.tool ?? "" }
        #expect(tools.contains("edit_file"))
        let vote = await sink.events(of: .vote).first { $0.agent == kind.rawValue && $0.accepted == true }
        #expect(vote?.target == "agent1")
        // Requests went to the configured base URL with the model named in the config.
        #expect(server.requests.count >= 3)
        #expect(server.requests.allSatisfy { $0.target.hasSuffix("/v1/chat/completions") && $0.bodyText.contains("qwen-test") })
        let usage = await recorder.changes.contains {
            if case .usage(let entry) = $0 { return entry.agent == kind.rawValue && entry.usage.inputTokens >= 500 } else { return false }
        }
        #expect(usage)
    }

    /// An aider reply, streamed as OpenAI chunks: the fixed file in aider's "whole" edit format,
    /// or (once its own answer is in its context) a vote as the final JSON line.
    static func aiderReply(_ request: RecordedRequest) -> ScriptedHTTPResponse {
        let content: String
        if request.bodyText.contains("Your previous answer (") {
            content = "agent1 is right.\n{\"mg\": \"vote\", \"agent_id\": \"agent1\", \"reason\": \"its tests pass\"}\n"
        } else {
            content = "add() adds now.\n\ncalc.sh\n```sh\nadd() { echo $(($1 + $2)); }\nmul() { echo $(($1 * $2)); }\n```\n"
        }
        func chunk(_ object: [String: Any]) -> SSEFrame {
            SSEFrame(data: String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self))
        }
        let base: [String: Any] = ["id": "c", "object": "chat.completion.chunk", "created": 1, "model": "qwen"]
        return .sse([
            chunk(base.merging(["choices": [["index": 0, "delta": ["role": "assistant", "content": content], "finish_reason": NSNull()]]]) { $1 }),
            chunk(base.merging(["choices": [["index": 0, "delta": [String: Any](), "finish_reason": "stop"]]]) { $1 }),
            SSEFrame(data: "[DONE]"),
        ])
    }

    @Test func aiderEditsItsWorktreeAgainstAnOpenAICompatibleServer() async throws {
        let peers = try PythonPeers.installed()
        let repository = try F.repository()
        let server = try LoopbackHTTPServer(options: .init(keepAlive: false)) { Self.aiderReply($0) }
        defer { server.stop() }
        let aider = ExternalAgentSpec(
            kind: .aider, program: peers.aider + "/bin/aider", model: "qwen2.5-coder", baseURL: server.url("/v1"))
        let run = try await Self.judgedSession("aider", aider, in: repository)
        let (outcome, sink, recorder) = (run.outcome, run.sink, run.recorder)
        #expect(outcome.exitCode == 0, "\(run.trail)")
        #expect(outcome.winner == "aider")
        #expect(try repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        // aider's files stay out of the answer: histories go to the session folder, no .gitignore edit.
        let files = try repository.git("show", "--name-only", "--format=", "massgen/\(F.settings().sessionID ?? "")/aider")
        #expect(files.split(separator: "\n") == ["calc.sh"])
        let vote = await sink.events(of: .vote).first { $0.agent == "aider" && $0.accepted == true }
        #expect(vote?.target == "agent1")
        // aider's "Tokens: … sent, … received." lines were counted.
        let usage = await recorder.changes.contains {
            if case .usage(let entry) = $0 { return entry.agent == "aider" && entry.usage.inputTokens > 0 } else { return false }
        }
        #expect(usage)
        #expect(server.requests.allSatisfy { $0.bodyText.contains("qwen2.5-coder") })
    }
}
