import ArgumentParser
import Foundation
import GitWorkspace

/// `mg demo`: the git layer on a sample repository (no model, no network, no key).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show mg's git workflow on a sample repository (scripted, no model needed).",
        discussion: """
            Creates a sample repository with a bug and uncommitted user work, snapshots it, starts \
            three agent worktrees on their own branches, commits one scripted answer per agent and \
            merges the winner back safely. Nothing outside the sample repository is touched.

            Example:
              mg demo --directory /tmp
            """)

    @Option(help: "Where to create the sample repository.")
    var directory: String = FileManager.default.temporaryDirectory.path

    func run() throws {
        do {
            _ = try GitWorkspaceDemo.run(in: directory) { print($0) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(70)
        }
    }
}
