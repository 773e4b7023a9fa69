import ArgumentParser
import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// `mg chat`: an interactive multi-turn session.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Work on a session interactively, turn after turn.",
        discussion: """
            Each line you type is a task: agents work on it, vote, and the winner lands like \
            `mg fix`; the next line continues the same session with its history. Commands: \
            /attach PATH, /status, /branches, /diff AGENT, /merge AGENT, /undo, /help, /quit. \
            /attach adds an image, audio, video or PDF to the next task. Needs a \
            terminal on stdin (use `mg fix` and `mg continue` in scripts).

            Examples:
              mg chat
              mg chat --session 20250101-120000-ab12 --merge apply
            """)

    @Option(help: "Continue this session (default: start a new one).")
    var session: String?

    @OptionGroup var options: SessionOptions

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CLIError(
                    .usage,
                    "mg chat needs a terminal on stdin.\nHint: in scripts use `mg fix \"TASK\"` and `mg continue \"TASK\"`.")
            }
            let root = try Startup.repository().workingDirectory
            let manager = CodingSessionManager(repositoryRoot: root, store: try SessionStore.openForCLI(repositoryRoot: root))
            let (config, agents, overrides) = (
                options.config, options.agents, options.overrides
            )
            // Each turn runs like `mg fix`: the live view, and Ctrl-C stops the agents gracefully
            // (their work committed to their branches), then the prompt comes back.
            let chat = ChatInterpreter(
                manager: manager, session: session,
                runTurn: { setup, body in
                    try await InterruptibleSession(
                        console: console, agentIDs: setup.agents.map(\.id), meters: setup.meters
                    ).run(body)
                },
                setup: { try ContinueCommand.turnSetup(root: root, config: config, agents: agents, overrides: overrides) },
                output: { console.result($0) })
            console.result("mg chat — type a task, or /help. Ctrl-D or /quit leaves.")
            let editor = LineEditor(prompt: "mg> ")
            while case .line(let line) = editor.read() {
                if await chat.handle(line) == .quit { break }
            }
        }
    }
}

/// The REPL's interpreter, separate from terminal I/O so it can be driven as a library: a plain
/// line runs a turn (the first starts a session, later ones continue it), `/…` lines are commands.
final class ChatInterpreter {
    /// What the REPL does after a line.
    enum Next: Equatable {
        case proceed
        case quit
    }

    /// Runs one turn's session body with a sink (the CLI: the live view and graceful Ctrl-C).
    typealias TurnRunner = (
        TurnSetup, @escaping @Sendable (any EventSink) async throws -> CodingSessionManager.TurnResult
    ) async throws -> CodingSessionManager.TurnResult

    let manager: CodingSessionManager
    let runTurn: TurnRunner
    let setup: () throws -> TurnSetup
    let output: (String) -> Void
    /// The session turns go to (`nil` until the first turn started one).
    private(set) var session: String?
    /// The run id of the latest turn (its agent branches are `massgen/<run>/<agent>`).
    private(set) var run: String?
    /// Files `/attach`ed since the last turn, inspected; they go with the next task.
    private(set) var pending: [MediaAttachment] = []

    init(
        manager: CodingSessionManager, session: String?, runTurn: @escaping TurnRunner,
        setup: @escaping () throws -> TurnSetup, output: @escaping (String) -> Void
    ) {
        self.manager = manager
        self.session = session
        self.runTurn = runTurn
        self.setup = setup
        self.output = output
        if let session, let turns = try? manager.store.turns(of: session), let last = turns.last {
            run = StoreSessionRecorder.runID(session: session, turn: last.number)
        }
    }

    static let help = """
        TASK            run a turn on TASK (agents see the session's history)
        /attach PATH    attach an image, audio, video or PDF to the next task
        /status         the session, its turns and their outcomes
        /branches       the agent branches of the latest turn
        /diff AGENT     the latest answer of AGENT against its base
        /merge AGENT    land AGENT's latest answer (like `mg merge`)
        /undo           revert the last mg operation (like `mg undo`)
        /help           this text
        /quit           leave (Ctrl-D too)
        """

    /// Handles one input line; errors are printed, never thrown.
    func handle(_ line: String) async -> Next {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .proceed }
        do {
            guard text.hasPrefix("/") else {
                try await turn(text)
                return .proceed
            }
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : nil
            switch parts[0] {
            case "/quit", "/exit": return .quit
            case "/help": output(Self.help)
            case "/attach": try await attach(try required(argument, "/attach PATH"))
            case "/status": try status()
            case "/branches": try branches()
            case "/diff": try diff(try required(argument, "/diff AGENT"))
            case "/merge": try merge(try required(argument, "/merge AGENT"))
            case "/undo": try undo()
            default: output("Unknown command \(parts[0]); /help lists them.")
            }
        } catch {
            output("error: \(ErrorBoundary.classify(error).1)")
        }
        return .proceed
    }

    private func required(_ argument: String?, _ usage: String) throws -> String {
        guard let argument, !argument.isEmpty else { throw CLIError(.usage, "Usage: \(usage)") }
        return argument
    }

    /// Inspects `path` now (so a bad file is reported at once) and keeps it for the next task.
    private func attach(_ path: String) async throws {
        let limits = try setup().mediaLimits
        let attachment = try await MediaInspector(limits: limits).inspect(path)
        pending.append(attachment)
        output("📎 " + MediaPreview.summary(attachment) + " — attached to the next task")
    }

    private func turn(_ task: String) async throws {
        let turn = try setup()
        var attachments = TurnAttachments(local: pending)
        if session == nil {
            // A new session's first task also carries the configuration's upload_files.
            let uploads = try await TurnAttachments.inspect(
                paths: [], uploads: turn.uploadFiles, inspector: MediaInspector(limits: turn.mediaLimits))
            attachments.local += uploads.local
            attachments.remote += uploads.remote
        }
        pending = []
        let (manager, session, files) = (self.manager, self.session, attachments)
        let result = try await runTurn(turn) { events in
            guard let session else {
                return try await manager.start(
                    task: task, attachments: files, agents: turn.agents, settings: turn.settings, events: events)
            }
            return try await manager.continueSession(
                session, task: task, attachments: files, agents: turn.agents, settings: turn.settings, events: events)
        }
        self.session = result.session
        run = result.run
        let outcome = result.outcome
        if outcome.kind == .interrupted {
            output(
                "turn \(result.turn) of \(result.session) interrupted: the agents' work is on their branches; "
                    + "nothing was merged. Type the next task, or /quit.")
            return
        }
        output("turn \(result.turn) of \(result.session): \(outcome.kindName), winner \(outcome.winner ?? "none")"
            + (outcome.operation.map { " — \($0.summary)" } ?? ""))
    }

    private func status() throws {
        guard let session else { return output("No session yet: type a task to start one.") }
        let record = try manager.store.session(session)
        var lines = ["session \(session) (\(record?.status.rawValue ?? "?"))"]
        for turn in try manager.store.turns(of: session) {
            lines.append("  turn \(turn.number) \(turn.status.rawValue): \(turn.task) → \(turn.winner ?? "no winner") [\(turn.mergeHow ?? "-")]")
        }
        output(lines.joined(separator: "\n"))
    }

    private var repository: MGRepository { MGRepository(root: manager.repositoryRoot, store: manager.store) }

    private func latestRun() throws -> String {
        guard let run else { throw CLIError(.usage, "No turn has run yet: type a task first.") }
        return run
    }

    private func branches() throws {
        let list = try AgentBranches(repository: Repository.open(at: manager.repositoryRoot)).list(session: try latestRun())
        output(list.isEmpty ? "No branches." : list.map { "\($0.shortName)  \($0.tip.short)" }.joined(separator: "\n"))
    }

    private func diff(_ agent: String) throws {
        let diff = try repository.diff(agent: agent, session: try latestRun())
        guard diff.changes.patch.isEmpty else { return output(diff.changes.patch) }
        let answered = try AgentBranches(repository: Repository.open(at: manager.repositoryRoot)).iterations(of: diff.branch)
        output(
            answered.isEmpty
                ? "\(agent) gave no answer in the latest turn; its branch \(diff.branch.shortName) is at the base."
                : "\(agent)'s latest answer changes nothing against the base.")
    }

    private func merge(_ agent: String) throws {
        let result = try repository.merge(agent: agent, session: try latestRun(), mode: nil, via: "mg chat")
        if let warning = MergeCommand.warning(result) { output("warning: " + warning) }
        output(MergeCommand.message(result))
    }

    private func undo() throws {
        output(UndoCommand.message(try repository.undo()))
    }
}
