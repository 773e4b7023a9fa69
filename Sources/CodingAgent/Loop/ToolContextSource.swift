/// Where an agent loop gets the context its tools run with: ready from the start, or awaited
/// when the first tool call arrives.
///
/// The orchestrator uses the second form to prepare the agents' worktrees while their first
/// model calls are in flight: a model needs no files to start thinking, only its tools do. No
/// tool runs before the context is resolved; if it cannot be, every call of the turn fails with
/// the reason (the orchestrator ends the round in that case).
public struct ToolContextSource: Sendable {
    private let resolveContext: @Sendable () async throws -> ToolContext

    private init(_ resolve: @escaping @Sendable () async throws -> ToolContext) {
        resolveContext = resolve
    }

    /// A context that is ready now.
    public static func ready(_ context: ToolContext) -> ToolContextSource {
        ToolContextSource { context }
    }

    /// A context produced by `resolve`, awaited by each turn that calls tools. `resolve` should
    /// be cheap after its first completion (e.g. awaiting a `Task`'s value).
    public static func awaiting(_ resolve: @escaping @Sendable () async throws -> ToolContext) -> ToolContextSource {
        ToolContextSource(resolve)
    }

    /// The context, or why it is unavailable.
    public func resolve() async throws -> ToolContext {
        try await resolveContext()
    }
}
