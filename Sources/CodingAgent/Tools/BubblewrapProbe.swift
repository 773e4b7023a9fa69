import Foundation
import Synchronization
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Whether bubblewrap can create a sandbox on this machine, found out once per process.
///
/// A session runs one `CommandRunner` per agent plus one for its tests; each used to probe on
/// its first command (one `bwrap … /bin/true`, ~10 ms here), on the path of the agent's first
/// `run_command` and of the first test run. The answer is a property of the machine and the
/// `bwrap` binary, so it is shared: concurrent callers await the same probe.
final class BubblewrapProbe: Sendable {
    /// The process-wide probe.
    static let shared = BubblewrapProbe()

    private let probes = Mutex<[String: Task<Bool, Never>]>([:])

    /// The first `bwrap` on `path` if it can create a sandbox here, else `nil`.
    func usableBubblewrap(path: String?) async -> String? {
        guard let bubblewrap = CommandSandbox.findBubblewrap(path: path) else { return nil }
        let probe = probes.withLock { probes in
            if let running = probes[bubblewrap] { return running }
            let started = Task { await Self.works(bubblewrap) }
            probes[bubblewrap] = started
            return started
        }
        return await probe.value ? bubblewrap : nil
    }

    /// Runs `/bin/true` in a minimal sandbox (user namespaces may be disabled, or bwrap lack setuid).
    private static func works(_ bubblewrap: String) async -> Bool {
        let result = try? await Subprocess.run(
            .path(FilePath(bubblewrap)), arguments: ["--ro-bind", "/", "/", "--unshare-pid", "--die-with-parent", "/bin/true"],
            output: .discarded, error: .discarded)
        return result?.terminationStatus.isSuccess == true
    }
}
