/// How the loop builds each request and reads each reply: tool mode, edit format, context
/// budget, cache hints.
extension AgentLoop {
    /// A streamed turn as the loop will use it.
    struct InterpretedTurn {
        /// The assistant message: native calls, calls read from the text, or edits as calls.
        var message: Message
        /// A transcript note on how the calls were read, if not natively.
        var note: String?
        /// Edit blocks that could not be placed; told to the model after the turn.
        var problems: [String] = []
        /// The calls are edits written as code blocks, to be submitted as an answer when they apply.
        var submitsEdits = false
        /// The text around the code blocks (the answer's summary).
        var prose = ""
    }

    /// Asks the server about itself once per run: the context window sets the budget (and,
    /// for a local server, `max_tokens`), the slots give this agent its own prompt cache.
    func prepare(_ state: inout LoopState) async {
        let properties = await backend.serverProperties()
        if let window = configuration.contextWindow ?? properties?.contextWindow {
            let budget = ContextBudget(window: window, reserve: configuration.settings.maxTokens)
            state.budget = budget
            // A small model sometimes writes until the context is full; on a local server that
            // is minutes of generation for nothing. An eighth of the window (1,024 tokens of an
            // 8,192-token slot) still holds a rewritten 3–4 KB file.
            if configuration.settings.maxTokens == nil, properties?.contextWindow != nil {
                state.maxTokens = min(budget.reserve, max(512, window / 8))
            }
        }
        if let key = configuration.cacheKey {
            let slot = properties?.slots.flatMap { $0 > 0 ? configuration.cacheSlot % $0 : nil }
            state.cache = PromptCacheHint(key: key, slot: slot)
        }
        state.messages = await withWorkspaceFiles(state.messages, budget: state.budget)
    }

    /// With an edit format, `messages` plus one message showing the worktree's text files (up to
    /// 30% of the context window), so a model that cannot call tools can still see the code.
    func withWorkspaceFiles(_ messages: [Message], budget: ContextBudget?) async -> [Message] {
        guard configuration.editFormat != .none, let context = try? await self.context.resolve() else { return messages }
        let characters = budget.map { Int(Double($0.window) * ContextBudget.charactersPerToken * 0.3) } ?? 24_000
        guard let message = WorkspaceFiles.read(context, budget: characters).message else { return messages }
        return messages + [message]
    }

    /// The request for the conversation in `state` (or `messages`): in text mode the tools are
    /// described in the system prompt and the conversation is plain text. The stable parts come
    /// first (system prompt, tools, the run's first message) so prompt caches hit.
    func request(for state: LoopState, messages: [Message]? = nil) -> ModelRequest {
        let textMode = state.toolMode == .text
        let offered = tools.definitions.filter { !state.hiddenTools.contains($0.name) }
        let editFormat = editFormat(in: state)
        var system = configuration.systemPrompt ?? ""
        let extra =
            textMode
            ? TextToolProtocol.instructions(for: offered, editFormat: editFormat, submission: configuration.answerSubmission)
            : EditBlockParser.instructions(editFormat, submission: configuration.answerSubmission)
        if !extra.isEmpty { system += system.isEmpty ? extra : "\n\n" + extra }
        let conversation = messages ?? state.messages
        var settings = configuration.settings
        if settings.maxTokens == nil { settings.maxTokens = state.maxTokens }
        return ModelRequest(
            model: configuration.model,
            messages: (system.isEmpty ? [] : [.text(.system, system)])
                + (textMode ? TextToolProtocol.render(conversation) : conversation),
            tools: textMode ? [] : offered, settings: settings, cache: state.cache)
    }

    /// The edit format in effect: none while the answer submission tool is hidden (the agent
    /// cannot submit, so code blocks would change files for nothing).
    func editFormat(in state: LoopState) -> EditFormat {
        guard let submission = configuration.answerSubmission, state.hiddenTools.contains(submission.toolName) else {
            return configuration.editFormat
        }
        return .none
    }

    /// Leaves out the oldest tool output until the request fits the context window, saying so.
    func fitToBudget(_ state: inout LoopState, step: Int) async {
        guard let budget = state.budget else { return }
        let snapshot = state
        let (messages, shrunk) = budget.fit(state.messages) { request(for: snapshot, messages: $0) }
        guard shrunk else { return }
        state.messages = messages
        await recorder.record(
            TranscriptEntry(
                step: step,
                event: .correction(
                    "The conversation would not fit the model's context window of \(budget.window) tokens: "
                        + "older tool output was left out.")))
    }

    /// The turn's calls: native ones, else calls written in the text, else (with an edit
    /// format) file edits written as code blocks.
    func interpret(_ turn: TurnAssembler, step: Int, mode: ToolMode, editFormat: EditFormat) async -> InterpretedTurn {
        let native = turn.message(step: step)
        guard native.toolCalls.isEmpty, !turn.text.isEmpty else { return InterpretedTurn(message: native) }
        if mode == .text || configuration.acceptsBareJSONToolCalls,
            let bare = BareToolCallParser.parse(turn.text, offered: Set(tools.names), allowingInvented: mode == .text)
        {
            // Small models put the fixed file into the answer's summary instead of the worktree:
            // with an edit format, the code in it is the edit, the rest the summary.
            if editFormat != .none, let code = submittedCode(bare.calls), let edits = await edits(in: code, step: step),
                edits.submitsEdits
            {
                return edits
            }
            var parts: [ContentPart] = bare.remainingText.isEmpty ? [] : [.text(bare.remainingText)]
            for (index, found) in bare.calls.enumerated() {
                let call = await fileWrite(Self.unfenced(found), editFormat: editFormat)
                parts.append(.toolCall(ToolCall(id: "call_\(step)_text_\(index)", name: call.name, arguments: call.arguments)))
            }
            let note = mode == .text ? nil : "Accepted \(bare.calls.count) tool call(s) written as JSON text."
            return InterpretedTurn(message: Message(role: .assistant, parts: parts), note: note)
        }
        guard editFormat != .none else { return InterpretedTurn(message: native) }
        return await edits(in: turn.text, step: step) ?? InterpretedTurn(message: native)
    }

    /// The summary of a lone answer submission when it holds a fenced code block.
    func submittedCode(_ calls: [BareToolCallParser.Found]) -> String? {
        guard configuration.editFormat != .none, calls.count == 1, let submission = configuration.answerSubmission,
            calls[0].name == submission.toolName,
            let summary = JSONValue.parseArguments(calls[0].arguments)?[submission.argument]?.stringValue,
            summary.contains("```")
        else { return nil }
        return summary
    }

    /// `write_file` content wrapped in a Markdown fence (```python … ```) is the code inside.
    static func unfenced(_ call: BareToolCallParser.Found) -> BareToolCallParser.Found {
        guard call.name == "write_file", case .object(var fields)? = JSONValue.parseArguments(call.arguments),
            let content = fields["content"]?.stringValue, let code = BareToolCallParser.unwrappingFence(content)
        else { return call }
        fields["content"] = .string(code)
        return BareToolCallParser.Found(name: call.name, arguments: JSONValue.object(fields).jsonText)
    }

    /// With an edit format, a file's content passed to `write_file` (or to `edit_file`, without
    /// `old_string`, as the 1.5B model does) is read like a code block under the file's path:
    /// the whole file, or a snippet whose functions replace the file's (a lone function would
    /// otherwise overwrite the rest of the file).
    func fileWrite(_ call: BareToolCallParser.Found, editFormat: EditFormat) async -> BareToolCallParser.Found {
        guard editFormat != .none, call.name == "write_file" || call.name == "edit_file",
            let arguments = JSONValue.parseArguments(call.arguments), arguments["old_string"] == nil,
            let path = arguments["path"]?.stringValue, let content = arguments["content"]?.stringValue,
            let context = try? await self.context.resolve()
        else { return call }
        let files = EditBlockParser.Files(contents: WorkspaceFiles.read(context, budget: 400_000).contents)
        let body = content.hasSuffix("\n") ? String(content.dropLast()).components(separatedBy: "\n") : content.components(separatedBy: "\n")
        guard case .edit(let edit) = EditBlockParser.wholeOrSnippet(body: body, path: path, language: "", files: files) else {
            return call
        }
        return BareToolCallParser.Found(name: edit.tool, arguments: edit.arguments.jsonText)
    }

    /// With an edit format, the file edits written as code blocks in `text`, as calls.
    func edits(in text: String, step: Int) async -> InterpretedTurn? {
        guard configuration.editFormat != .none, let context = try? await self.context.resolve(),
            let edits = EditBlockParser.parse(
                text, files: EditBlockParser.Files(contents: WorkspaceFiles.read(context, budget: 400_000).contents))
        else { return nil }
        var parts: [ContentPart] = edits.prose.isEmpty ? [] : [.text(edits.prose)]
        for (index, edit) in edits.edits.enumerated() {
            parts.append(.toolCall(ToolCall(id: "call_\(step)_edit_\(index)", name: edit.tool, arguments: edit.arguments.jsonText)))
        }
        return InterpretedTurn(
            message: Message(role: .assistant, parts: parts),
            note: edits.edits.isEmpty ? nil : "Read \(edits.edits.count) file edit(s) written as code blocks.",
            problems: edits.problems, submitsEdits: !edits.edits.isEmpty, prose: edits.prose)
    }

    /// The answer submission for a turn of edits that all applied: the configured terminal tool
    /// with the reply's prose (or the files changed) as the summary.
    func submissionCall(for executed: [ToolCallExecutor.Executed], prose: String, step: Int) -> ToolCall? {
        guard let submission = configuration.answerSubmission, tools.tool(named: submission.toolName) != nil,
            !executed.isEmpty, executed.allSatisfy({ !$0.outcome.isError })
        else { return nil }
        var summary = String(prose.prefix(600)).trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.isEmpty {
            let paths = executed.compactMap { JSONValue.parseArguments($0.call.arguments)?["path"]?.stringValue }
            summary = "Changed \(paths.joined(separator: ", "))."
        }
        let arguments = JSONValue.object([submission.argument: .string(summary)]).jsonText
        return ToolCall(id: "call_\(step)_submit", name: submission.toolName, arguments: arguments)
    }

    /// A turn without a call: `auto` falls back to text after a few, the model is told what to
    /// do (the edit problems, or how to call a tool), and the loop gives up after enough tries.
    func correctMissingCall(_ state: inout LoopState, step: Int, problems: [String]) async -> AgentLoopOutcome? {
        let hidden = state.hiddenTools
        let terminalNames = tools.terminalNames.filter { !hidden.contains($0) }
        if tools.terminalNames.isEmpty { return .textReply(state.messages.last?.text ?? "") }
        if state.toolMode == .auto {
            state.unparsedTurns += 1
            if state.unparsedTurns >= configuration.textModeAfterUnparsedTurns {
                await switchToText(&state, step: step, reason: "\(state.unparsedTurns) replies in a row had no call it could read")
            }
        }
        if state.corrections >= configuration.maxNoToolCallCorrections { return .noToolCall(corrections: state.corrections) }
        state.corrections += 1
        let others = tools.names.filter { !tools.terminalNames.contains($0) && !hidden.contains($0) }
        var correction: String
        if !problems.isEmpty {
            correction = problems.joined(separator: "\n")
        } else if state.toolMode == .text {
            correction = TextToolProtocol.noCallCorrection(terminal: terminalNames, others: others, editFormat: editFormat(in: state))
        } else {
            correction = "You did not call a tool. You must call one of: \(terminalNames.joined(separator: ", ")) to finish"
            correction += others.isEmpty ? "." : ", or keep working with: \(others.joined(separator: ", "))."
        }
        await recorder.record(TranscriptEntry(step: step, event: .correction(correction)))
        state.messages.append(.text(.user, correction))
        return nil
    }

    /// `auto` gives up on the provider's tool channel for this agent.
    func switchToText(_ state: inout LoopState, step: Int, reason: String) async {
        guard state.toolMode == .auto else { return }
        state.toolMode = .text
        await recorder.record(
            TranscriptEntry(step: step, event: .correction("Switched to tool calls written as text: \(reason).")))
    }
}
