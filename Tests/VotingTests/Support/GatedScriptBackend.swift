import CodingAgent
import Foundation
import Synchronization

/// Plays a scripted conversation like `ScriptedBackend`, but holds back a turn until its `gate`
/// opens: until then it answers with a harmless `list_files` turn (after `pollMilliseconds`)
/// without advancing. By default a `vote` turn waits until the agent's context shows the answer
/// it votes for — a model only votes for answers it can see — which makes multi-agent scenarios
/// deterministic without timing assumptions. Each real turn is streamed by a one-turn
/// `ScriptedBackend`, so chunking and tool-call encoding are the real ones.
final class GatedScriptBackend: ModelBackend, Sendable {
    typealias Gate = @Sendable (ScriptedTurn, ModelRequest) async -> Bool

    let turns: [ScriptedTurn]
    let gate: Gate
    let pollMilliseconds: Int
    /// The cursor and the requests' texts.
    private let state = Mutex((position: 0, texts: [String]()))

    var displayName: String { "gated-scripted" }

    init(_ turns: [ScriptedTurn], pollMilliseconds: Int = 10, gate: Gate? = nil) {
        self.turns = turns
        self.pollMilliseconds = pollMilliseconds
        self.gate = gate ?? Self.voteTargetVisible
    }

    /// Real turns played so far.
    var played: Int { state.withLock { $0.position } }

    /// The text of every request received (all messages joined), in order.
    var requestTexts: [String] { state.withLock { $0.texts } }

    func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        let (stream, continuation) = AsyncThrowingStream<StreamChunk, any Error>.makeStream()
        let text = request.messages.map(\.text).joined(separator: "\n")
        state.withLock { $0.texts.append(text) }
        let task = Task {
            let index = state.withLock { $0.position }
            var turn: ScriptedTurn
            if index < turns.count, await gate(turns[index], request) {
                state.withLock { $0.position += 1 }
                turn = turns[index]
            } else if index < turns.count {
                // A waiting turn, marked as the scripted backend marks its own (the loop's repeat
                // guard lets it poll).
                turn = ScriptedTurn(
                    toolCalls: [
                        ScriptedToolCall(
                            id: ScriptedBackend.waitingCallPrefix + "\(index)", name: "list_files", arguments: .object([:]))
                    ],
                    delayMilliseconds: pollMilliseconds)
            } else {
                turn = ScriptedTurn(text: "The gated script has no more turns.")
            }
            let inner = ScriptedBackend(script: ScriptedScript(turns: [turn]))
            do {
                for try await chunk in inner.stream(request) { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// A turn naming an answer (`vote`, `view_answer`, `adopt_answer`) may play once the context
    /// shows that answer (own or another's).
    static let voteTargetVisible: Gate = { turn, request in
        guard
            let call = turn.toolCalls?.first(where: { call in
                if case .object(let arguments)? = call.arguments { return arguments["agent_id"] != nil }
                return false
            }),
            case .object(let arguments)? = call.arguments, case .string(let target)? = arguments["agent_id"]
        else { return true }
        let context = request.messages.map(\.text).joined(separator: "\n")
        return context.contains("## \(target) (answer") || context.contains("(\(target), answer")
    }
}

/// Short constructors for scripted turns.
enum Turn {
    static func call(_ name: String, _ arguments: [String: JSONValue], delay: Int? = nil) -> ScriptedTurn {
        ScriptedTurn(
            toolCalls: [ScriptedToolCall(name: name, arguments: .object(arguments))], delayMilliseconds: delay
        )
    }

    static func edit(_ path: String, _ old: String, _ new: String) -> ScriptedTurn {
        call("edit_file", ["path": .string(path), "old_string": .string(old), "new_string": .string(new)])
    }

    static func write(_ path: String, _ content: String) -> ScriptedTurn {
        call("write_file", ["path": .string(path), "content": .string(content)])
    }

    static func answer(_ content: String, delay: Int? = nil) -> ScriptedTurn {
        call("new_answer", ["content": .string(content)], delay: delay)
    }

    static func vote(_ target: String, _ reason: String = "best tested answer") -> ScriptedTurn {
        call("vote", ["agent_id": .string(target), "reason": .string(reason)])
    }

    static func votes(_ target: String, count: Int = 8) -> [ScriptedTurn] {
        Array(repeating: vote(target), count: count)
    }

    static func text(_ text: String) -> ScriptedTurn {
        ScriptedTurn(text: text)
    }
}
