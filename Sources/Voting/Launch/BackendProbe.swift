import CodingAgent
import Foundation

/// One tiny request per configured agent (`mg doctor`, `mg config check --ping`): is the
/// server there, does it take the key, does the model answer — and how fast.
///
/// Each probe asks for one word with a few output tokens, once (no retries: the point is to see
/// the first answer), under its own deadline; all agents are probed at the same time. Scripted
/// agents have no server, and external programs are checked for presence only (running one
/// would start a whole coding run).
public struct BackendProbe: Sendable {
    /// What one agent's probe found.
    public struct Result: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable {
            /// The model answered.
            case ok
            /// The key was refused (HTTP 401/403) or no key is set.
            case unauthorized
            /// No server, network down, 5xx, timeout, quota.
            case unavailable
            /// The server answered, but refused the request (unknown model, bad setting).
            case refused
            /// Nothing to ask: a scripted agent or an external program (found on PATH).
            case skipped
        }

        public var agent: String
        /// `openai-chat(gpt-4o-mini)`, `claude_code(claude)`.
        public var backend: String
        public var model: String
        public var status: Status
        /// Time until the first streamed chunk.
        public var firstChunk: Duration?
        /// Time until the answer was complete (or the failure).
        public var total: Duration
        /// The start of the model's reply, or why it failed / was skipped.
        public var detail: String
    }

    /// Where keys and endpoints come from.
    public var environment: [String: String]
    /// The HTTP client.
    public var transport: any HTTPTransport
    /// Each probe's deadline.
    public var timeout: Duration

    /// Creates a probe.
    public init(environment: [String: String], transport: (any HTTPTransport)? = nil, timeout: Duration = .seconds(30)) {
        self.environment = environment
        self.transport = transport ?? LibcurlTransport(environment: environment)
        self.timeout = timeout
    }

    /// Probes every agent of `configuration` at once; results in configuration order.
    public func probe(_ configuration: ResolvedConfiguration) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            for (index, agent) in configuration.agents.enumerated() {
                group.addTask { (index, await self.probe(agent)) }
            }
            var results: [(Int, Result)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// Probes one agent.
    public func probe(_ agent: AgentConfiguration) async -> Result {
        var result = Result(
            agent: agent.id, backend: "\(agent.backendType.rawValue)(\(agent.backend.model))", model: agent.backend.model,
            status: .skipped, firstChunk: nil, total: .zero, detail: "")
        if let external = agent.external {
            result.backend = external.displayName
            result.model = external.model ?? external.program
            let found = ExecutableLocator.locate(external.program, environment: environment.merging(external.environment) { $1 })
            result.status = found == nil ? .unavailable : .skipped
            result.detail = found.map { "program \($0) found; not run (it would start a coding run)" }
                ?? "program \(external.program) is not on PATH"
            return result
        }
        if agent.backendType.family == .scripted {
            result.detail = "scripted: replays its script, no server to ask"
            return result
        }
        let factory = BackendFactory(
            transport: transport, environment: environment,
            limits: TransferLimits(totalDeadline: timeout, idleTimeout: timeout, connectTimeout: min(timeout, .seconds(10))),
            retry: RetryPolicy(maxAttempts: 1))
        let backend: any ModelBackend
        do {
            backend = try factory.makeBackend(agent.backend)
        } catch {
            result.status = .unauthorized
            result.detail = "\(error)"
            return result
        }
        result.backend = backend.displayName
        return await ask(backend, into: result)
    }

    private func ask(_ backend: any ModelBackend, into result: Result) async -> Result {
        var result = result
        var settings = GenerationSettings()
        settings.maxTokens = 16
        let request = ModelRequest(
            model: result.model,
            messages: [.text(.user, "This is a connection check. Reply with the single word: ok")],
            settings: settings)
        let clock = ContinuousClock()
        let start = clock.now
        var reply = ""
        do {
            for try await chunk in backend.stream(request) {
                if result.firstChunk == nil { result.firstChunk = clock.now - start }
                switch chunk {
                case .textDelta(let text), .reasoningDelta(let text): reply += text
                case .toolCallStart(_, _, let name): reply += "[tool call \(name)]"
                case .error(let message): throw BackendError.modelError(provider: backend.displayName, message: message)
                default: break
                }
                if clock.now - start > timeout {
                    throw BackendError.timeout(provider: backend.displayName, message: "no complete answer in \(timeout)")
                }
            }
            result.status = .ok
            let trimmed = reply.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
            result.detail = trimmed.isEmpty ? "answered (no text)" : "answered \"\(trimmed.prefix(40))\""
        } catch let error as BackendError {
            result.status = Self.status(of: error)
            result.detail = error.description
        } catch {
            result.status = .unavailable
            result.detail = "\(error)"
        }
        result.total = clock.now - start
        return result
    }

    static func status(of error: BackendError) -> Result.Status {
        switch error {
        case .unauthorized: .unauthorized
        case .badRequest, .modelError, .toolCallRejected, .truncatedStream: .refused
        case .quotaExceeded, .serverError, .network, .timeout, .cancelled: .unavailable
        }
    }
}
