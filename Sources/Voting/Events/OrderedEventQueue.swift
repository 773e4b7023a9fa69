/// Delivers a session's events to its sink one at a time, in the order they were queued.
///
/// One task drains an `AsyncStream`: every event, whether its sender waits for it (`deliver`) or
/// cannot wait (`post`, from synchronous code such as a tool's warning), takes its place in the
/// same line, so no event overtakes another — unlike a `Task { await sink.emit(…) }` per event,
/// whose tasks may run in any order and after the session has ended. `flush` waits for
/// everything queued so far; the orchestrator awaits it before it returns.
final class OrderedEventQueue: Sendable {
    private enum Item: Sendable {
        /// An event, and the sender to resume once the sink has handled it (`nil`: posted).
        case event(SessionEvent, CheckedContinuation<Void, Never>?)
        /// Resumes the sender once everything queued before it has been delivered.
        case marker(CheckedContinuation<Void, Never>)
    }

    private let line: AsyncStream<Item>.Continuation

    /// A queue feeding `sink`; its drain task ends when the queue is released.
    init(sink: any EventSink) {
        let (items, line) = AsyncStream<Item>.makeStream()
        self.line = line
        Task {
            for await item in items {
                switch item {
                case .event(let event, let sender):
                    await sink.emit(event)
                    sender?.resume()
                case .marker(let sender):
                    sender.resume()
                }
            }
        }
    }

    deinit {
        line.finish()
    }

    /// Queues `event` and returns once the sink has handled it.
    func deliver(_ event: SessionEvent) async {
        await withCheckedContinuation { sender in
            if case .terminated = line.yield(.event(event, sender)) { sender.resume() }
        }
    }

    /// Queues `event` without waiting; it is delivered after everything queued before it.
    func post(_ event: SessionEvent) {
        line.yield(.event(event, nil))
    }

    /// Returns once every event queued before this call has been delivered.
    func flush() async {
        await withCheckedContinuation { sender in
            if case .terminated = line.yield(.marker(sender)) { sender.resume() }
        }
    }
}
