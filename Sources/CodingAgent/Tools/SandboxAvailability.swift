/// Whether `run_command` and test runs can be confined on this machine (`mg doctor`).
public enum SandboxAvailability {
    /// The first `bwrap` on `path` that can create a sandbox here, or `nil` (not installed, or
    /// user namespaces disabled). Probed once per process, as the command runner does.
    public static func usableBubblewrap(path: String?) async -> String? {
        await BubblewrapProbe.shared.usableBubblewrap(path: path)
    }
}
