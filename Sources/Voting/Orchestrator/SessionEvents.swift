import Foundation

/// Stamps events with the session id and hands them to the sink, in order: every event goes
/// through one `OrderedEventQueue`, whichever task emits it.
public struct SessionEvents: Sendable {
    /// The session id every event carries.
    public let session: String
    /// Where events go.
    public let sink: any EventSink
    private let queue: OrderedEventQueue

    /// Creates the emitter.
    public init(session: String, sink: any EventSink) {
        self.session = session
        self.sink = sink
        queue = OrderedEventQueue(sink: sink)
    }

    /// Emits an event of `kind`, letting `fill` set its fields.
    public func emit(
        _ kind: SessionEvent.Kind, agent: String? = nil,
        _ fill: @Sendable (inout SessionEvent) -> Void = { _ in }
    ) async {
        var event = SessionEvent(kind, session: session, agent: agent)
        fill(&event)
        await queue.deliver(event)
    }

    /// Queues an event of `kind` without waiting (for synchronous code, e.g. a tool's warning);
    /// it is delivered after every event emitted or posted before it.
    public func post(
        _ kind: SessionEvent.Kind, agent: String? = nil, _ fill: @Sendable (inout SessionEvent) -> Void = { _ in }
    ) {
        var event = SessionEvent(kind, session: session, agent: agent)
        fill(&event)
        queue.post(event)
    }

    /// Returns once every event emitted or posted so far has reached the sink.
    public func flush() async {
        await queue.flush()
    }

    /// Emits an `agent_state` event.
    public func phase(_ phase: SessionEvent.Phase, agent: String, tool: String? = nil, reason: String? = nil)
        async
    {
        await emit(.agentState, agent: agent) {
            $0.phase = phase
            $0.tool = tool
            $0.reason = reason
        }
    }
}
