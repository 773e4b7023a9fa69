import Dispatch
import Foundation
import Synchronization

/// Ctrl-C and SIGTERM during a session.
///
/// The first signal calls `onFirst` (the CLI cancels the session task: agents stop, their work
/// is committed to their branches, nothing is merged, exit 130). A second SIGINT restores the
/// terminal and exits at once with 130 — still safe, since every agent's work is already on disk
/// in its worktree and every git update mg makes is atomic. Signals arrive through
/// `DispatchSource` with the default action ignored, so they never kill mg mid-write.
final class InterruptHandler: Sendable {
    private struct State {
        var count = 0
        var sources: [any DispatchSourceSignal] = []
    }
    private let state = Mutex(State())
    private let onFirst: @Sendable (Int32) -> Void
    private let queue = DispatchQueue(label: "mg.interrupts")

    /// A handler calling `onFirst` with the signal number on the first SIGINT or SIGTERM.
    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        self.onFirst = onFirst
    }

    /// How many signals arrived.
    var received: Int { state.withLock { $0.count } }

    /// Starts listening (and ignores the signals' default action until `uninstall`).
    func install() {
        state.withLock { state in
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { [weak self] in self?.handle(number) }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    /// Stops listening and restores the default actions.
    func uninstall() {
        state.withLock { state in
            for source in state.sources { source.cancel() }
            state.sources = []
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
    }

    private func handle(_ number: Int32) {
        let seen = state.withLock { state in
            state.count += 1
            return state.count
        }
        if seen == 1 {
            onFirst(number)
        } else if number == SIGINT {
            if let terminal = [STDOUT_FILENO, STDERR_FILENO].first(where: { isatty($0) == 1 }) {
                LiveViewSink.write(TerminalScreen.restoreSequence + "\n", to: terminal)
            }
            LiveViewSink.write(
                "mg: stopped at once (second Ctrl-C). The agents' work is in their worktrees and on their branches; `mg clean` tidies up.\n",
                to: STDERR_FILENO)
            _exit(130)
        }
    }
}
