import ArgumentParser
import CodingAgent
import Foundation
import Voting

/// `mg doctor`: is this machine and this configuration ready for `mg fix`?
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the repository, sandbox, media tools and every backend (one tiny request each).",
        discussion: """
            Each configured agent's backend gets one request for a one-word reply (a few tokens), \
            all at once, without retries: the report says whether the server answered, took the \
            key and knows the model, with the time to the first streamed chunk and in all. \
            Scripted agents are skipped; external programs are looked up on PATH, not run.

            Exit status: 0 ready, 65 bad configuration or a model the server refused, 69 a \
            backend unreachable or a key refused.

            Examples:
              mg doctor
              mg doctor --config team.yaml --timeout 10
            """)

    @Option(help: "The config file (default: .massgen/config.yaml, then $XDG_CONFIG_HOME/mg/config.yaml).")
    var config: String?

    @Option(help: "Seconds each backend may take to answer (default 30).")
    var timeout: Double = 30

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard timeout.isFinite, timeout > 0 else {
            throw ValidationError("--timeout must be a number above 0, not \(timeout.formatted()).")
        }
    }

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let environment = Startup.environment
            var report: [String: Any] = ["event": "doctor"]
            let root = try? Startup.repository().workingDirectory
            console.result("Repository: " + (root ?? "none here (mg fix, continue and chat need a git repository)"))
            report["repository"] = root ?? NSNull()

            let bubblewrap = await SandboxAvailability.usableBubblewrap(path: environment["PATH"])
            console.result(
                "Sandbox: "
                    + (bubblewrap.map { "\($0) works; agents' commands and tests run confined to their worktree" }
                        ?? "bubblewrap is missing or cannot create a sandbox here; agents' commands run unconfined (apt-get install bubblewrap)"))
            report["sandbox"] = bubblewrap ?? NSNull()

            let media = ["ffprobe", "ffmpeg"].map { ($0, ExecutableLocator.locate($0, environment: environment)) }
            let missing = media.filter { $0.1 == nil }.map(\.0)
            console.result(
                "Media: "
                    + (missing.isEmpty
                        ? media.compactMap(\.1).joined(separator: ", ")
                        : "\(missing.joined(separator: " and ")) missing; needed only for --image, --audio and --video (apt-get install ffmpeg)"))
            report["media_missing"] = missing

            let configuration = try ConfigurationLoader.load(
                ConfigurationRequest(
                    explicitFile: config, repositoryRoot: root, workingDirectory: Startup.workingDirectory,
                    environment: environment, agentCount: nil))
            for warning in configuration.warnings { console.warning(warning.description) }
            console.result("Configuration: \(configuration.source)")
            report["configuration"] = configuration.source.description
            let status = await Self.ping(
                configuration, environment: environment, timeout: timeout, console: console, report: &report)
            console.emit(report)
            if let status { throw ExitCode(status.rawValue) }
        }
    }

    /// Probes every backend of `configuration`, prints one line per agent, adds `backends` to
    /// `report`, and returns the failure status (`nil` when every backend answered or was skipped).
    static func ping(
        _ configuration: ResolvedConfiguration, environment: [String: String], timeout: Double, console: Console,
        report: inout [String: Any]
    ) async -> ExitStatus? {
        let probe = BackendProbe(environment: environment, timeout: .milliseconds(Int64(timeout * 1000)))
        let results = await probe.probe(configuration)
        let width = results.map(\.agent.count).max() ?? 0
        console.result("Backends:")
        for result in results {
            let mark = switch result.status {
            case .ok: "ok  "
            case .skipped: "skip"
            default: "FAIL"
            }
            var timing = ""
            if let first = result.firstChunk {
                timing = "first chunk \(Self.seconds(first)), \(Self.seconds(result.total)) in all: "
            } else if result.status != .skipped {
                timing = "after \(Self.seconds(result.total)): "
            }
            console.result(
                "  \(mark) \(result.agent.padding(toLength: width, withPad: " ", startingAt: 0))  \(result.backend)  \(timing)\(result.detail)")
        }
        report["backends"] = results.map { result -> [String: Any] in
            var entry: [String: Any] = [
                "agent": result.agent, "backend": result.backend, "model": result.model,
                "status": result.status.rawValue, "detail": result.detail,
                "total_ms": Int(result.total.inSeconds * 1000),
            ]
            if let first = result.firstChunk { entry["first_chunk_ms"] = Int(first.inSeconds * 1000) }
            return entry
        }
        let statuses = Set(results.map(\.status))
        if !statuses.isDisjoint(with: [.unauthorized, .unavailable]) { return .backendUnavailable }
        if statuses.contains(.refused) { return .badInput }
        return nil
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", duration.inSeconds)
    }
}
