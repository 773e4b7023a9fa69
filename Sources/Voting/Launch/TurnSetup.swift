import CodingAgent
import Foundation
import GitWorkspace

/// The agents and settings of one turn, built from the configuration the same way `mg fix`
/// builds them (`ConfigurationLoader`, then `SessionLauncher` with command-line overrides).
/// `mg continue` and `mg chat` build a fresh `TurnSetup` per turn: backends keep per-run state
/// (scripted cursors, cost meters), so each turn gets new ones.
public struct TurnSetup: Sendable {
    /// One agent spec per configured agent.
    public var agents: [AgentSpec]
    /// Orchestrator settings (configuration, then overrides).
    public var settings: OrchestratorSettings
    /// Configuration warnings to show the user.
    public var warnings: [String]
    /// Attachment size limits (the smallest `media_max_file_size_mb` of the agents).
    public var mediaLimits: MediaLimits = MediaLimits()
    /// Every agent's `upload_files` (attached to a session's first turn).
    public var uploadFiles: [UploadFile] = []
    /// Each agent's own cost meter (the live view shows each agent's tokens and cost).
    public var meters: [String: CostMeter] = [:]

    /// Loads the configuration for `request` and builds the turn's agents and settings.
    public static func load(
        _ request: ConfigurationRequest, overrides: SessionOverrides, environment: [String: String]
    ) throws -> TurnSetup {
        let configuration = try ConfigurationLoader.load(request)
        // The configuration's pricing wins over the built-in table.
        let launcher = SessionLauncher(environment: environment, prices: PriceTable.standard.overriding(configuration.coding.prices))
        let cache = request.repositoryRoot.map { MediaLibrary.cacheDirectory(layout: ProjectLayout(repositoryRoot: $0)) }
        var agents = try launcher.agentSpecs(
            for: configuration, meter: CostMeter(prices: launcher.prices), mediaCacheDirectory: cache,
            overrides: overrides)
        var meters: [String: CostMeter] = [:]
        for index in agents.indices {
            let meter = CostMeter(prices: launcher.prices)
            agents[index].costMeter = meter
            meters[agents[index].id] = meter
        }
        return TurnSetup(
            agents: agents,
            settings: try launcher.settings(
                for: configuration, overrides: overrides, repositoryRoot: request.repositoryRoot),
            warnings: configuration.warnings.map(\.description), mediaLimits: configuration.mediaLimits,
            uploadFiles: configuration.uploadFiles, meters: meters)
    }
}
