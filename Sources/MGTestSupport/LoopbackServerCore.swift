import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shared state of one `LoopbackHTTPServer`: the accept loop and the bookkeeping its
/// connection threads update.
///
/// Kept apart from the public class so the threads never retain the server object itself:
/// dropping the last reference to `LoopbackHTTPServer` runs its `deinit`, which stops this core.
final class LoopbackServerCore: Sendable {
    struct State {
        var requests: [RecordedRequest] = []
        var statistics = LoopbackServerStatistics()
        var stopped = false
    }

    let listenFD: Int32
    let options: LoopbackHTTPServer.Options
    let handler: LoopbackHTTPServer.Handler
    let state = Mutex(State())
    /// Every socket thread is in it until it returns, so `stop()` can wait for them all.
    private let threads = DispatchGroup()

    init(listenFD: Int32, options: LoopbackHTTPServer.Options, handler: @escaping LoopbackHTTPServer.Handler) {
        self.listenFD = listenFD
        self.options = options
        self.handler = handler
    }

    /// True once `stop()` has been called; every socket loop polls it at least every 100 ms.
    var isStopped: Bool { state.withLock { $0.stopped } }

    func startAccepting() {
        spawn { core in core.acceptLoop() }
    }

    func stop() {
        let alreadyStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        if alreadyStopped { return }
        // Threads notice `stopped` within one 100 ms poll; waiting here means no socket outlives stop().
        _ = threads.wait(timeout: .now() + 5)
    }

    /// Records a fully received request and returns it with its sequence number filled in.
    func record(_ request: RecordedRequest) -> RecordedRequest {
        state.withLock { state in
            var numbered = request
            numbered.sequenceNumber = state.requests.count
            state.requests.append(numbered)
            state.statistics.requestsReceived += 1
            return numbered
        }
    }

    func noteClientClosed() {
        state.withLock { $0.statistics.connectionsClosedByClient += 1 }
    }

    /// Runs `body` on a new thread in `threads`, so `stop()` can wait for it.
    private func spawn(_ body: @escaping @Sendable (LoopbackServerCore) -> Void) {
        threads.enter()
        let thread = Thread { [self] in
            body(self)
            threads.leave()
        }
        thread.name = "LoopbackHTTPServer"
        thread.start()
    }

    private func acceptLoop() {
        defer { systemClose(listenFD) }
        while !isStopped {
            var descriptor = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            if ready <= 0 { continue }
            let connectionFD = accept(listenFD, nil, nil)
            if connectionFD < 0 { continue }
            let number = state.withLock { state in
                defer { state.statistics.connectionsAccepted += 1 }
                return state.statistics.connectionsAccepted
            }
            configure(connectionFD)
            spawn { core in
                LoopbackConnection(fd: connectionFD, number: number, core: core).run()
                core.state.withLock { $0.statistics.connectionsFinished += 1 }
            }
        }
    }

    /// Short socket timeouts turn every blocking call into a loop that checks `isStopped`;
    /// TCP_NODELAY makes each scripted send leave at once, so clients see small reads.
    private func configure(_ fd: Int32) {
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        let timeoutSize = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, timeoutSize)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, timeoutSize)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        #if canImport(Darwin)
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }
}
