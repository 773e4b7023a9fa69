import CodingAgent
import Foundation
import GitWorkspace
import Voting

/// Runs one coding session the way `mg fix` and `mg demo` show it: events to the live view,
/// plain lines or JSON; Ctrl-C / SIGTERM stop it gracefully (second Ctrl-C: at once); the
/// terminal is restored whatever happens.
struct InterruptibleSession {
    let console: Console
    /// Agent ids in configuration order (the panel's rows).
    let agentIDs: [String]
    /// Each agent's own cost meter (tokens and cost per row).
    let meters: [String: CostMeter]

    /// Runs `body` with the sink; returns its result (an `.interrupted` outcome after a signal).
    func run<Result: Sendable>(
        _ body: @escaping @Sendable (any EventSink) async throws -> Result
    ) async throws -> Result {
        let sink = LiveViewSink(console: console, agentIDs: agentIDs, meters: meters)
        let session = Task { () async throws -> Result in try await body(sink) }
        let interrupts = InterruptHandler { number in
            session.cancel()
            let name = number == SIGTERM ? "SIGTERM" : "Ctrl-C"
            Task {
                await sink.note(
                    "\(name): stopping the agents and saving their work to their branches… (Ctrl-C again to quit at once)"
                )
            }
        }
        interrupts.install()
        defer { interrupts.uninstall() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                await sink.tick()
            }
        }
        let result = await session.result
        ticker.cancel()
        await sink.finish()
        // Errors go to the one boundary that maps them to exit statuses (ErrorBoundary).
        return try result.get()
    }
}
