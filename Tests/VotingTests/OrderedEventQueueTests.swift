import Foundation
import Testing

@testable import Voting

/// Events reach the sink in the order they were emitted or posted, one at a time, and nothing
/// posted is lost once the emitter is flushed.
@Suite struct OrderedEventQueueTests {
    /// A sink that takes longer for early events than for later ones, so events handed over by
    /// independent tasks would finish out of order, and that notices overlapping deliveries.
    actor SlowSink: EventSink {
        private(set) var received: [String] = []
        private(set) var overlapped = false
        private var busy = false

        func emit(_ event: SessionEvent) async {
            if busy { overlapped = true }
            busy = true
            let index = Int(event.detail ?? "") ?? 0
            try? await Task.sleep(for: .microseconds(max(0, 2000 - 40 * index)))
            received.append(event.detail ?? "")
            busy = false
        }
    }

    @Test func postedAndEmittedEventsArriveInCallOrder() async throws {
        let sink = SlowSink()
        let events = SessionEvents(session: "s", sink: sink)
        for index in 0..<50 {
            if index % 3 == 0 {
                await events.emit(.toolCall) { $0.detail = String(index) }
            } else {
                events.post(.error) { $0.detail = String(index) }
            }
        }
        await events.flush()
        #expect(await sink.received == (0..<50).map(String.init))
        #expect(await !sink.overlapped)
    }

    @Test func emitReturnsOnceTheSinkHasTheEvent() async throws {
        let sink = CollectingEventSink()
        let events = SessionEvents(session: "s", sink: sink)
        events.post(.error) { $0.message = "posted first" }
        await events.emit(.sessionStarted)
        #expect(await sink.events.map(\.kind) == [.error, .sessionStarted])
    }

    @Test func eventsFromConcurrentTasksAreDeliveredOneAtATimeAndAllArrive() async throws {
        let sink = SlowSink()
        let events = SessionEvents(session: "s", sink: sink)
        await withTaskGroup(of: Void.self) { group in
            for agent in 0..<4 {
                group.addTask {
                    for step in 0..<10 {
                        let detail = String(agent * 10 + step)
                        if step.isMultiple(of: 2) {
                            events.post(.agentState) { $0.detail = detail }
                        } else {
                            await events.emit(.toolCall) { $0.detail = detail }
                        }
                    }
                }
            }
        }
        await events.flush()
        let received = await sink.received.compactMap(Int.init)
        #expect(received.sorted() == Array(0..<40))
        // Each agent's own events keep their order.
        for agent in 0..<4 {
            #expect(received.filter { $0 / 10 == agent } == Array(agent * 10..<agent * 10 + 10))
        }
        #expect(await !sink.overlapped)
    }
}
