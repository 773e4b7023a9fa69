import CodingAgent
import Foundation
import GitWorkspace

/// The settings a session in this repository would run with, every default filled in: what
/// `mg config show` prints. Built from the configuration, the repository (detected test
/// command, existing test files) and mg's defaults, the same way `mg fix` builds its settings.
public struct EffectiveSettings: Sendable {
    /// The orchestrator settings a session would get (no command-line overrides).
    public var settings: OrchestratorSettings
    /// The test command and where it comes from: `configured`, `detected` or `none`.
    public var testCommand: (command: String?, source: String)
    /// The merge mode, or how the default is chosen.
    public var mergeMode: String
    /// Protected path patterns: mg's defaults and the configured ones.
    public var protectedPatterns: [String]
    /// The base's existing test files, protected unless test changes are allowed.
    public var testFiles: [String]

    /// Resolves `configuration` for the repository at `repositoryRoot` (`nil`: outside a repository).
    public static func resolve(_ configuration: ResolvedConfiguration, repositoryRoot: String?, environment: [String: String])
        throws(ConfigurationError) -> EffectiveSettings
    {
        let settings = try SessionLauncher(environment: environment).settings(
            for: configuration, overrides: SessionOverrides(), repositoryRoot: repositoryRoot)
        var test: (String?, String) = (nil, "none")
        switch settings.testCommand {
        case .command(let command): test = (command, "configured")
        case .none: test = (nil, "none (disabled)")
        case .detect:
            if let root = repositoryRoot, let command = TestCommandDetector.detect(in: root) {
                test = (command, "detected")
            } else {
                test = (nil, "none detected")
            }
        }
        var testFiles: [String] = []
        if let root = repositoryRoot, !settings.allowTestChanges,
            let repository = try? Repository.open(at: root), let head = try? repository.head().commit,
            let tree = try? repository.tree(ofCommit: head)
        {
            let rules = TestFileRules(testCommand: test.0, testPaths: settings.testPaths)
            testFiles = (try? repository.filePaths(ofTree: tree, where: rules.isTestFile)) ?? []
        }
        let merge =
            settings.mergeMode?.rawValue
            ?? "squash when your tree is clean, apply when it has uncommitted changes (the default)"
        return EffectiveSettings(
            settings: settings, testCommand: test, mergeMode: merge,
            protectedPatterns: ProtectedPaths.defaultPatterns + settings.protectedPaths, testFiles: testFiles)
    }

    /// The lines `mg config show` prints after the agents.
    public var lines: [String] {
        func seconds(_ duration: Duration) -> String { "\(duration.components.seconds) s" }
        func quoted(_ commands: [String]) -> String {
            commands.isEmpty ? "none" : commands.map { "`\($0)`" }.joined(separator: ", ")
        }
        let test = testCommand.command.map { "`\($0)`" } ?? "none"
        let changes = settings.allowTestChanges ? "allowed (each answer's own tests judge it)" : "not allowed"
        let paths = settings.testPaths.isEmpty ? "none" : settings.testPaths.joined(separator: ", ")
        var out: [String] = []
        out.append("test command: \(test) (\(testCommand.source))")
        out.append("merge: \(mergeMode)")
        out.append("voting policy: \(settings.votingPolicy.rawValue), sensitivity: \(settings.votingSensitivity.rawValue)")
        out.append("gate commands: \(quoted(settings.gateCommands))")
        out.append("test changes: \(changes)")
        out.append("test paths (beyond the frameworks' rules): \(paths)")
        out.append("protected paths: " + protectedPatterns.joined(separator: ", "))
        if !testFiles.isEmpty {
            let shown = testFiles.prefix(10).joined(separator: ", ")
            out.append(
                "protected test files (\(testFiles.count)): \(shown)\(testFiles.count > 10 ? ", …" : "")")
        }
        out.append("session timeout: \(seconds(settings.orchestratorTimeout))")
        out.append("agent timeout: \(settings.agentTimeout.map(seconds) ?? "none (the session's)")")
        out.append("test timeout: \(seconds(settings.testTimeout))")
        out.append("max cost: \(settings.costCeilingUSD.map { String(format: "$%.2f", $0) } ?? "none")")
        out.append(
            "answers per agent: \(settings.maxNewAnswersPerAgent.map(String.init) ?? "no limit")")
        out.append("answer novelty: \(settings.answerNovelty.rawValue)")
        if settings.planningMode != nil { out.append("planning mode: on (MCP server tools are not offered)") }
        if settings.skipCoordinationRounds {
            out.append("coordination: skipped (the first agent's first answer is the result)")
        }
        let context = settings.contextPaths
        for entry in context.outside {
            out.append(
                "context path \(entry.path): \(entry.writable ? "write (a copy per agent; the winner's change lands)" : "read-only")"
            )
        }
        if !context.writeScopes.isEmpty {
            out.append("answers may change only: " + context.writeScopes.joined(separator: ", "))
        }
        return out
    }
}
