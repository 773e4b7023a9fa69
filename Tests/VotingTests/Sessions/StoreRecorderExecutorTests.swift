import Dispatch
import Foundation
import GitWorkspace
import Synchronization
import Testing

@testable import Voting

/// The session store's writes block (SQLite `synchronous=FULL`, the busy timeout, fsync'd JSONL),
/// so `StoreSessionRecorder` runs on its own executor: recorders stuck on the disk must not take
/// the cooperative pool's threads from the agents.
@Suite("StoreSessionRecorder executor")
struct StoreRecorderExecutorTests {
    /// How long the cooperative pool took to start a task enqueued from a Dispatch thread.
    final class PoolLatency: Sendable {
        private let measured = Mutex<Duration?>(nil)

        /// Enqueues a task now and records when it starts.
        func probe() {
            let enqueued = ContinuousClock.now
            Task.detached { self.measured.withLock { $0 = ContinuousClock.now - enqueued } }
        }

        var value: Duration? { measured.withLock { $0 } }
    }

    @Test("recorders waiting on a locked database leave the cooperative pool free")
    func blockedWritesLeaveThePoolFree() async throws {
        let folder = try TemporaryFolder()
        let store = try SessionStore.open(layout: folder.layout)
        // Another connection holds the write lock, so every recorder write waits in the busy timeout.
        let blocker = try SQLiteDatabase(path: store.path)
        try blocker.withConnection { (c) throws(SessionStoreError) in try c.execute("BEGIN IMMEDIATE") }
        // More recorders than the pool has threads: on the default executor they would take them all.
        let recorders = (0...ProcessInfo.processInfo.activeProcessorCount).map { index in
            StoreSessionRecorder(
                store: store, layout: folder.layout, session: "s\(index)", task: "t", startsSession: false)
        }
        let writes = Task {
            await withTaskGroup(of: Void.self) { group in
                for recorder in recorders {
                    group.addTask {
                        let vote = VoteRecord(voter: "a", target: "agent1", reason: "r", counted: true, serial: 1)
                        try? await recorder.record(.vote(vote))
                    }
                }
            }
        }
        let latency = PoolLatency()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { latency.probe() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
            try? blocker.withConnection { (c) throws(SessionStoreError) in try c.execute("COMMIT") }
        }
        await writes.value
        // Starved, the probe would only start once the lock is released, 2.5 s after it was enqueued.
        let measured = try #require(latency.value)
        #expect(measured < .milliseconds(1500), "the pool took \(measured) to start a task")
    }

    @Test("every recorder method runs on the recorder's own queue")
    func methodsRunOnTheRecorderQueue() async throws {
        let folder = try TemporaryFolder()
        let recorder = StoreSessionRecorder(
            store: try SessionStore.open(layout: folder.layout), layout: folder.layout, session: "s", task: "t",
            startsSession: false)
        #expect(!recorder.executor.isCurrent())
        #expect(await recorder.runsOnOwnExecutor())
    }
}

extension StoreSessionRecorder {
    fileprivate func runsOnOwnExecutor() -> Bool { executor.isCurrent() }
}
