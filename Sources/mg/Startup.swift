import Foundation
import GitWorkspace
import Voting

/// What mg learns about its process once, before anything else runs.
enum Startup {
    /// The directory mg was started in.
    static let workingDirectory = FileManager.default.currentDirectoryPath

    /// Git's exported repository variables (from hooks, `git mg`), read and then cleared so
    /// agents' commands never inherit them.
    static let gitEnvironment = GitEnvironment.captureAndClear(from: workingDirectory)

    /// The environment after clearing.
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The repository mg works on.
    static func repository() throws(GitWorkspaceError) -> GitEnvironment.RepositoryLocation {
        try gitEnvironment.repository(from: workingDirectory)
    }

    /// The repository mg works on, with its session store: where every use case starts. With
    /// `reading`, a repository without a store gets an empty one in memory: commands that only
    /// read create nothing.
    static func mgRepository(reading: Bool = false) throws -> MGRepository {
        let root = try repository().workingDirectory
        let layout = ProjectLayout(repositoryRoot: root)
        let store = reading ? try SessionStore.openForReading(layout: layout) : try SessionStore.open(layout: layout)
        return MGRepository(root: root, store: store)
    }

    /// This executable's absolute path (what hooks call).
    static var executablePath: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        let argument = CommandLine.arguments.first ?? "mg"
        if argument.contains("/") {
            return URL(fileURLWithPath: argument, relativeTo: URL(fileURLWithPath: workingDirectory)).standardizedFileURL.path
        }
        return argument
    }
}
