import Foundation
import Synchronization

/// Why a script could not be loaded.
public enum ScriptedBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not a valid script.
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "Could not read the scripted backend's script \(path): \(reason). Check `script` in the agent's backend config."
        case .invalid(let path, let reason):
            return "The scripted backend's script \(path) is not valid: \(reason). See docs/scripted-backend.md for the format."
        }
    }
}

/// The `scripted` backend: replays recorded assistant turns so tests and demos run the very
/// same agent loop as real providers.
///
/// Each `stream` call plays the next turn, split into deltas like a real stream. Every
/// instance has its own cursor, so several agents may share one script file. When the turns
/// run out it answers with a text-only turn saying so, which the loop's correction handles.
public final class ScriptedBackend: ModelBackend {
    /// The script being replayed.
    public let script: ScriptedScript
    /// Where the script came from (for messages).
    public let source: String
    private let chunkSize: Int
    private let state = Mutex(ScriptedStateValue())

    public var displayName: String { "scripted(\((source as NSString).lastPathComponent))" }

    /// Replays `script`; `chunkSize` overrides the script's own.
    public init(script: ScriptedScript, source: String = "inline script", chunkSize: Int? = nil) {
        self.script = script
        self.source = source
        self.chunkSize = max(1, chunkSize ?? script.chunkSize ?? 16)
    }

    /// Loads the script at `path`.
    public convenience init(contentsOf path: String, chunkSize: Int? = nil) throws(ScriptedBackendError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let script: ScriptedScript
        do {
            script = try JSONDecoder().decode(ScriptedScript.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalid(path: path, reason: "not JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalid(path: path, reason: "\(Self.location(context.codingPath)) lacks the key \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(type, context) {
            throw .invalid(path: path, reason: "\(Self.location(context.codingPath)) should be \(type)")
        } catch {
            throw .invalid(path: path, reason: "\(error)")
        }
        self.init(script: script, source: path, chunkSize: chunkSize)
    }

    private static func location(_ path: [any CodingKey]) -> String {
        path.isEmpty ? "the top level" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }

    /// The requests received so far, in order (tests assert what the loop sent).
    public var receivedRequests: [ModelRequest] { state.withLock { $0.requests } }

    /// How many streams were abandoned by their consumer before finishing (cancellation checks).
    public var abandonedStreams: Int { state.withLock { $0.abandoned } }

    /// Turns played so far.
    public var turnsPlayed: Int { state.withLock { $0.cursor } }

    /// Waiting turns played for an unmet `await_context` so far.
    public var waitingTurns: Int { state.withLock { $0.waits } }

    /// The id prefix of the calls a waiting turn makes; the agent loop's repeat guard lets them
    /// be (a scripted agent waiting for another's answer polls on purpose).
    public static let waitingCallPrefix = "call_wait_"

    /// What the backend plays while a turn's `await_context` is not met.
    static func waitingTurn(delay: Int, number: Int) -> ScriptedTurn {
        ScriptedTurn(
            toolCalls: [ScriptedToolCall(id: "\(waitingCallPrefix)\(number)", name: "list_files", arguments: .object([:]))],
            delayMilliseconds: delay)
    }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        let (turnNumber, turn) = state.withLock { state -> (Int, ScriptedTurn?) in
            state.requests.append(request)
            guard state.cursor < script.turns.count else {
                state.cursor += 1
                return (state.cursor - 1, nil)
            }
            let next = script.turns[state.cursor]
            if let condition = next.awaitContext, !condition.isMet(by: request) {
                // Not yet: a harmless read-only call; the same turn is tried again next time.
                state.waits += 1
                return (state.cursor, Self.waitingTurn(delay: next.awaitPollMilliseconds ?? 100, number: state.waits))
            }
            state.cursor += 1
            return (state.cursor - 1, next)
        }
        let played = turn ?? ScriptedTurn(
            text: "The scripted backend has no more turns: all \(script.turns.count) turns of \(source) were played.", finish: "stop")
        let chunks = Self.chunks(for: played, turn: turnNumber, size: chunkSize)
        let failure = played.fail?.error(provider: displayName)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    if let delay = played.delayMilliseconds, delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
                    for chunk in chunks {
                        if let pause = played.chunkDelayMilliseconds, pause > 0 { try await Task.sleep(for: .milliseconds(pause)) }
                        continuation.yield(chunk)
                    }
                    if let failure {
                        continuation.finish(throwing: failure)
                    } else {
                        continuation.finish()
                    }
                } catch {
                    continuation.finish(throwing: BackendError.cancelled)
                }
            }
            continuation.onTermination = { termination in
                if case .cancelled = termination {
                    self.state.withLock { $0.abandoned += 1 }
                    task.cancel()
                }
            }
        }
    }

    /// The chunks of one turn: reasoning, text, each tool call, usage, finish (unless it fails).
    static func chunks(for turn: ScriptedTurn, turn number: Int, size: Int) -> [StreamChunk] {
        var chunks: [StreamChunk] = []
        chunks += split(turn.reasoning ?? "", size: size).map { .reasoningDelta($0) }
        chunks += split(turn.text ?? "", size: size).map { .textDelta($0) }
        for (index, call) in (turn.toolCalls ?? []).enumerated() {
            chunks.append(.toolCallStart(index: index, id: call.id ?? "call_\(number + 1)_\(index)", name: call.name))
            chunks += split(call.argumentText, size: size).map { .toolCallArgumentsDelta(index: index, fragment: $0) }
            chunks.append(.toolCallEnd(index: index))
        }
        if turn.fail != nil { return chunks }
        if let usage = turn.usage {
            chunks.append(.usage(TokenUsage(inputTokens: usage.input, outputTokens: usage.output, cachedInputTokens: usage.cached ?? 0)))
        }
        let hasCalls = !(turn.toolCalls ?? []).isEmpty
        switch turn.finish {
        case "stop"?: chunks.append(.finish(.stop))
        case "tool_calls"?: chunks.append(.finish(.toolCalls))
        case "length"?: chunks.append(.finish(.length))
        case "content_filter"?: chunks.append(.finish(.contentFilter))
        case let other?: chunks.append(.finish(.other(other)))
        case nil: chunks.append(.finish(hasCalls ? .toolCalls : .stop))
        }
        return chunks
    }

    private static func split(_ text: String, size: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }
}

/// The backend's cursor and observations, behind a mutex (streams may start on any thread).
private struct ScriptedStateValue {
    var cursor = 0
    var requests: [ModelRequest] = []
    var abandoned = 0
    var waits = 0
}
