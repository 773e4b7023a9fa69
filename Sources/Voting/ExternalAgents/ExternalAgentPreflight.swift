import CodingAgent
import Foundation

/// Checks, before a session starts, that every external agent's program exists (and that an
/// adapter's Python can import its framework): a missing one is one clear error naming it and
/// how to install it (exit 69), before any worktree or branch is made.
public enum ExternalAgentPreflight {
    /// Throws `ExternalAgentError` for the first agent whose program is missing.
    public static func check(_ agents: [AgentConfiguration], environment: [String: String]) throws(ExternalAgentError) {
        for agent in agents {
            guard let external = agent.external else { continue }
            var merged = environment
            merged.merge(external.environment) { _, new in new }
            guard let path = ExecutableLocator.locate(external.program, environment: merged) else {
                throw .programNotFound(agent: agent.id, program: external.program, hint: external.kind.installHint)
            }
            if let module = external.kind.adapterModule, !canImport(module, python: path, environment: merged) {
                throw .frameworkMissing(
                    agent: agent.id, python: external.program, module: module, hint: external.kind.installHint)
            }
        }
    }

    /// Whether `python -c "import module"` succeeds (a second or two for large frameworks).
    static func canImport(_ module: String, python: String, environment: [String: String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import \(module)"]
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
