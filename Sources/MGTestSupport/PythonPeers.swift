import Foundation
import Synchronization

/// The real protocol peers of the external-agent and MCP tests, in project-local virtual
/// environments that `scripts/setup-peers` creates (pinned, idempotent; `scripts/test` runs it
/// first, so a test only waits for it when run on its own).
public struct PythonPeers: Sendable {
    /// `.build/peers-venv`: mcp, mcp-server-git, mcp-server-time, ag2, langchain, langchain-openai.
    public let peers: String
    /// `.build/aider-venv`: aider-chat.
    public let aider: String
    /// `.build/claude-venv`: claude-agent-sdk, with the Claude Code CLI in its wheel.
    public let claudeVenv: String

    /// The Claude Code CLI bundled in claude-agent-sdk's wheel.
    public var claude: String {
        let packages = claudeVenv + "/lib"
        let python = (try? FileManager.default.contentsOfDirectory(atPath: packages))?.first { $0.hasPrefix("python") } ?? "python3"
        return "\(packages)/\(python)/site-packages/claude_agent_sdk/_bundled/claude"
    }

    /// The package root (this file is Sources/MGTestSupport/PythonPeers.swift).
    public static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// The peers' Python.
    public var python: String { peers + "/bin/python" }

    /// An executable of the peers' venv (`mcp-server-time`, …).
    public func tool(_ name: String) -> String { peers + "/bin/" + name }

    /// Runs `scripts/setup-peers` once per process and returns the venvs.
    public static func installed() throws -> PythonPeers {
        try cache.withLock { cached in
            if let cached { return cached }
            let output = try ProcessRunner.run(
                packageRoot + "/scripts/setup-peers", [], in: packageRoot, environment: ProcessInfo.processInfo.environment)
            let lines = output.stdout.split(separator: "\n").map(String.init)
            guard output.status == 0, lines.count == 3 else {
                throw PythonPeersError(
                    "scripts/setup-peers failed (exit \(output.status)): \(output.stderr.suffix(600)) — run it by hand to see why")
            }
            let peers = PythonPeers(peers: lines[0], aider: lines[1], claudeVenv: lines[2])
            cached = peers
            return peers
        }
    }

    private static let cache = Mutex<PythonPeers?>(nil)
}

/// The peers could not be installed.
public struct PythonPeersError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
