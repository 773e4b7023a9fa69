import Foundation

/// The `.massgen/` folder of a repository: where worktrees, sessions and logs live.
///
/// The folder ignores itself (`.massgen/.gitignore` contains `*`), so nested agent worktrees
/// never show up in the user's `git status` or `git add -A`, and the user's own `.gitignore`
/// stays untouched.
public struct ProjectLayout: Sendable, Hashable {
    /// The repository's working tree root.
    public let repositoryRoot: String

    public init(repositoryRoot: String) {
        self.repositoryRoot = repositoryRoot
    }

    /// `<root>/.massgen`
    public var root: String { repositoryRoot + "/.massgen" }
    /// `.massgen/config.yaml`
    public var configFile: String { root + "/config.yaml" }
    /// `.massgen/workspaces`
    public var workspacesDirectory: String { root + "/workspaces" }
    /// `.massgen/sessions`
    public var sessionsDirectory: String { root + "/sessions" }
    /// `.massgen/logs`
    public var logsDirectory: String { root + "/logs" }

    /// The worktree folder of `agent` in `session`.
    public func worktreePath(session: String, agent: String) -> String {
        workspacesDirectory + "/" + session + "/" + agent
    }

    /// The per-session folder for transcripts, events and reports.
    public func sessionDirectory(_ session: String) -> String {
        sessionsDirectory + "/" + session
    }

    /// Creates `.massgen/` (if needed) with its self-ignoring `.gitignore` first, and `folder`
    /// below it: what anything that writes into `.massgen/` calls, so nothing mg writes ever
    /// shows in `git status` — even before `mg init`.
    public func ensureFolder(_ folder: String) throws(GitWorkspaceError) {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
            let ignoreFile = root + "/.gitignore"
            let existing = (try? String(contentsOfFile: ignoreFile, encoding: .utf8)) ?? ""
            if !existing.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces) == "*" }) {
                try ("*\n" + existing).write(toFile: ignoreFile, atomically: true, encoding: .utf8)
            }
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .invalidArgument(
                "Could not create \(folder): \(error.localizedDescription)\nHint: check that the folder is writable.")
        }
    }

    /// What `prepare()` did.
    public struct PreparationReport: Sendable, Hashable {
        /// Files created from the embedded template (relative to `.massgen/`).
        public var createdFiles: [String]
        /// A MassGen-style layout found inside `.massgen/`, left untouched, for `mg migrate`.
        public var legacyLayout: LegacyLayout?
    }

    /// Creates `.massgen/` from the embedded `.massgen-template/` without overwriting anything
    /// that exists (idempotent), and makes sure the folder ignores itself.
    @discardableResult
    public func prepare() throws(GitWorkspaceError) -> PreparationReport {
        let fm = FileManager.default
        var created: [String] = []
        do {
            for dir in [root, workspacesDirectory, sessionsDirectory, logsDirectory] {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            }
            for (relative, content) in EmbeddedTemplate.files.sorted(by: { $0.key < $1.key }) {
                let target = root + "/" + relative
                if fm.fileExists(atPath: target) {
                    continue
                }
                try fm.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try content.write(toFile: target, atomically: true, encoding: .utf8)
                created.append(relative)
            }
            // A pre-existing .gitignore that does not ignore everything would let worktrees leak
            // into the user's status: make sure "*" is in it, keeping the user's other lines.
            let ignoreFile = root + "/.gitignore"
            let existing = (try? String(contentsOfFile: ignoreFile, encoding: .utf8)) ?? ""
            let lines = existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            if !lines.contains("*") {
                try ("*\n" + existing).write(toFile: ignoreFile, atomically: true, encoding: .utf8)
            }
        } catch {
            throw .invalidArgument("Could not create \(root): \(error.localizedDescription)\nHint: check that the folder is writable.")
        }
        return PreparationReport(createdFiles: created, legacyLayout: LegacyLayout.detect(in: root))
    }
}

/// A MassGen (Python) `.massgen/` layout, recognised so `mg migrate` can import it.
public struct LegacyLayout: Sendable, Hashable {
    /// The MassGen folders found (relative to `.massgen/`), e.g. `snapshots`, `sessions/session_1/turn_2`.
    public var markers: [String]

    /// Looks for MassGen's folders; `nil` when none is present. Reads only; never moves anything.
    public static func detect(in massgenRoot: String) -> LegacyLayout? {
        let fm = FileManager.default
        var markers: [String] = []
        for name in ["snapshots", "temp_workspaces", "massgen_logs"]
        where fm.fileExists(atPath: massgenRoot + "/" + name) {
            markers.append(name)
        }
        // MassGen's workspaces/ holds plain folders (no .git file), unlike mg's worktrees.
        let workspaces = massgenRoot + "/workspaces"
        if let entries = try? fm.contentsOfDirectory(atPath: workspaces) {
            for entry in entries.sorted() where !isMGWorkspace(workspaces + "/" + entry) {
                markers.append("workspaces/" + entry)
            }
        }
        let sessions = massgenRoot + "/sessions"
        if let entries = try? fm.contentsOfDirectory(atPath: sessions) {
            for session in entries.sorted() where session.hasPrefix("session_") {
                let turns = (try? fm.contentsOfDirectory(atPath: sessions + "/" + session)) ?? []
                for turn in turns.sorted() where turn.hasPrefix("turn_") {
                    markers.append("sessions/\(session)/\(turn)")
                }
            }
        }
        return markers.isEmpty ? nil : LegacyLayout(markers: markers)
    }

    /// mg session folders contain agent worktrees, each with a `.git` file.
    private static func isMGWorkspace(_ path: String) -> Bool {
        let fm = FileManager.default
        guard let agents = try? fm.contentsOfDirectory(atPath: path), !agents.isEmpty else { return false }
        // `.check-*`: mg's scratch checkouts for test runs (no .git of their own).
        return agents.contains { $0.hasPrefix(".check-") || fm.fileExists(atPath: path + "/" + $0 + "/.git") }
    }
}
