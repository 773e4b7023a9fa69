import Foundation

/// The Server-Sent Events carried by a byte stream, e.g. an `HTTPResponse.body`.
///
/// ```swift
/// for try await event in response.body.sseEvents {
///     if event.isDone { break }
///     handle(event.data)
/// }
/// ```
///
/// Errors of the byte stream (timeouts, resets) are rethrown. When the bytes end mid-event the
/// partial event is dropped, as the spec requires; use `SSEEventSequence.Iterator.endedMidEvent`
/// if a caller needs to tell that apart from a clean end.
public struct SSEEventSequence<Base: AsyncSequence>: AsyncSequence where Base.Element == Data {
    /// Events, in stream order.
    public typealias Element = SSEEvent

    private let base: Base

    /// Wraps a byte-chunk sequence.
    public init(_ base: Base) {
        self.base = base
    }

    /// Creates the iterator that pulls byte chunks on demand.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator())
    }

    /// Pulls byte chunks only when the events parsed so far have been consumed.
    public struct Iterator: AsyncIteratorProtocol {
        private var base: Base.AsyncIterator
        private var parser = SSEParser()
        private var pending: [SSEEvent] = []
        private var pendingIndex = 0
        /// True once the byte stream has ended with an unfinished event in it.
        public private(set) var endedMidEvent = false

        init(base: Base.AsyncIterator) {
            self.base = base
        }

        /// The next event, nil at the end of the byte stream; rethrows the byte stream's errors.
        public mutating func next() async throws -> SSEEvent? {
            while pendingIndex == pending.count {
                guard let chunk = try await base.next() else {
                    endedMidEvent = parser.hasIncompleteEvent
                    return nil
                }
                pending = parser.feed(chunk)
                pendingIndex = 0
            }
            defer { pendingIndex += 1 }
            return pending[pendingIndex]
        }
    }
}

extension SSEEventSequence: Sendable where Base: Sendable {}

extension AsyncSequence where Element == Data {
    /// The Server-Sent Events in this byte stream.
    public var sseEvents: SSEEventSequence<Self> { SSEEventSequence(self) }
}
