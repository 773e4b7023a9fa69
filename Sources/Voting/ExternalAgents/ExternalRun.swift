import CodingAgent
import Foundation

/// One run of an external agent's program: starts it in the worktree, feeds it (prompt on
/// stdin, or the adapter protocol), and turns its output into transcript entries — which the
/// transcript tap turns into live-view events and usage.
struct ExternalRun: Sendable {
    let commandLine: ExternalCommandLine
    let spec: ExternalAgentSpec
    let inputs: ExternalCommandLine.Inputs
    let server: ToolCallServer
    let transcript: any TranscriptRecorder
    let tools: [ToolDefinition]
    let timeout: Duration?
    /// Counts one usage report in the agent's meter; returns its cost (reported, else priced).
    let price: @Sendable (TokenUsage, Double?) -> Double?

    struct Result: Sendable {
        /// The program's final message (its summary), or its last output.
        var finalText: String
        /// Why the run failed (program error, non-zero exit), when it did.
        var failure: String?
        var timedOut: Bool
    }

    func execute() async -> Result {
        let state = RunState(format: commandLine.format)
        let adapter = spec.kind.isAdapter
        let start = startMessage()
        let stdin = commandLine.stdin
        let server = self.server
        let transcript = self.transcript
        let price = self.price
        let exit: LineProcess.Exit
        do {
            exit = try await LineProcess.run(
                commandLine.launch, timeout: timeout,
                started: { writer in
                    await state.attach(writer)
                    if adapter {
                        await writer.write(start)
                    } else {
                        if let stdin { await writer.write(stdin) }
                        await writer.finish()
                    }
                },
                stdout: { line in
                    if adapter {
                        await Self.adapterLine(line, server: server, state: state, transcript: transcript, price: price)
                    } else {
                        for event in await state.parse(line) {
                            await Self.record(event, state: state, transcript: transcript, price: price)
                        }
                    }
                },
                stderr: { line in await state.noteStderr(line) })
        } catch {
            return Result(finalText: "", failure: "\(spec.kind.rawValue) could not be started: \(error)", timedOut: false)
        }
        var result = Result(finalText: await state.finalText, failure: await state.failure, timedOut: exit.timedOut)
        if result.failure == nil, !exit.succeeded, !exit.timedOut {
            let tail = exit.stderrTail.suffix(5).joined(separator: "\n")
            result.failure = "\(commandLine.launch.executable) ended with \(exit.summary)" + (tail.isEmpty ? "" : ":\n\(tail)")
        }
        return result
    }

    /// The adapter protocol's first message.
    func startMessage() -> String {
        var object: [String: JSONValue] = [
            "type": .string("start"), "agent": .string(inputs.agent), "prompt": .string(inputs.prompt),
            "tools": ToolChannel.definitions(tools), "worktree": .string(inputs.worktree),
            "max_steps": .number(Double(spec.maxTurns ?? 30)),
        ]
        if let model = spec.model { object["model"] = .string(model) }
        if let base = spec.baseURL { object["base_url"] = .string(base) }
        if let system = spec.systemPrompt { object["system_prompt"] = .string(system) }
        return JSONValue.object(object).jsonText
    }

    private static func adapterLine(
        _ line: String, server: ToolCallServer, state: RunState, transcript: any TranscriptRecorder,
        price: @Sendable (TokenUsage, Double?) -> Double?
    ) async {
        switch ToolChannel.parse(line) {
        case .toolCall(let id, let name, let arguments):
            let outcome = await server.handle(id: id, name: name, arguments: arguments)
            await state.reply(ToolChannel.result(id: id, outcome))
            if outcome.terminalPayload != nil, !outcome.isError { await state.finishInput() }
        case .log(let text):
            await record(.text(text), state: state, transcript: transcript, price: price)
        case .usage(let usage, let cost):
            await record(.usage(usage, costUSD: cost), state: state, transcript: transcript, price: price)
        case .hello:
            await state.reply(ToolChannel.error("hello is for mg mcp; adapters start with mg's start message"))
        case .other(let text):
            if !text.trimmingCharacters(in: .whitespaces).isEmpty {
                await record(.text(text), state: state, transcript: transcript, price: price)
            }
        }
    }

    /// Records one output event as the agent loop would have.
    private static func record(
        _ event: AgentOutputEvent, state: RunState, transcript: any TranscriptRecorder,
        price: @Sendable (TokenUsage, Double?) -> Double?
    ) async {
        switch event {
        case .text(let text):
            await state.noteText(text)
            await transcript.record(
                TranscriptEntry(step: 0, event: .assistant(.text(.assistant, text), reasoning: nil)))
        case .tool(let name, let detail):
            let id = await state.nextCallID()
            await transcript.record(TranscriptEntry(step: 0, event: .toolCall(ToolCall(id: id, name: name, arguments: detail))))
        case .toolResult(let name, let text, let isError):
            let id = await state.lastCallID()
            await transcript.record(
                TranscriptEntry(
                    step: 0,
                    event: .toolResult(ToolResult(callID: id, name: name, content: String(text.prefix(4_000)), isError: isError), media: [])))
        case .usage(let usage, let reported):
            await transcript.record(TranscriptEntry(step: 0, event: .usage(usage, costUSD: price(usage, reported))))
        case .final(let text):
            await state.noteFinal(text)
        case .failed(let message):
            await state.noteFailure(message)
            await transcript.record(TranscriptEntry(step: 0, event: .error(message)))
        }
    }
}

/// The mutable side of one run, shared by the output handlers.
private actor RunState {
    private var parser: AgentOutputParser
    private var writer: LineWriter?
    private var texts: [String] = []
    private var final: String?
    private(set) var failure: String?
    private var calls = 0

    init(format: AgentOutputParser.Format) { parser = AgentOutputParser(format: format) }

    func attach(_ writer: LineWriter) { self.writer = writer }
    func parse(_ line: String) -> [AgentOutputEvent] { parser.parse(line) }
    func reply(_ line: String) async { await writer?.write(line) }
    func finishInput() async { await writer?.finish() }
    func noteText(_ text: String) {
        texts.append(text)
        if texts.count > 40 { texts.removeFirst() }
    }
    func noteFinal(_ text: String) { final = text }
    func noteFailure(_ message: String) { failure = failure ?? message }
    func noteStderr(_ line: String) {}
    func nextCallID() -> String {
        calls += 1
        return "ext_\(calls)"
    }
    func lastCallID() -> String { "ext_\(calls)" }

    /// The final message, else the last lines of text the program wrote.
    var finalText: String { final ?? texts.suffix(10).joined(separator: "\n") }
}
