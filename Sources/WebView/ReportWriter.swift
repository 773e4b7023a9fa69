import Foundation
import GitWorkspace
import Voting

/// Writes a session's HTML report (`mg report`, `mg fix --report`).
public enum ReportWriter {
    /// What was written.
    public struct Written: Sendable, Hashable {
        /// The session reported.
        public var session: String
        /// The file.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
    }

    /// The default place of a session's report: `.massgen/sessions/<session>/report.html`.
    public static func defaultPath(layout: ProjectLayout, session: String) -> String {
        SessionFolder(layout: layout, session: session).path + "/report.html"
    }

    /// Builds the report of `session` (default: the latest) from the store of the repository at
    /// `repositoryRoot` and writes it to `path` (default: the session folder's `report.html`).
    public static func write(
        session: String?, repositoryRoot: String, to path: String?, workingDirectory: String
    ) throws -> Written {
        let layout = ProjectLayout(repositoryRoot: repositoryRoot)
        let store = try SessionStore.open(layout: layout)
        defer { store.close() }
        let id = try store.sessionID(orLatest: session)
        let document = try ReportBuilder(store: store, layout: layout).build(session: id)
        let html = Data(try ReportPage.html(document).utf8)
        var target = path ?? defaultPath(layout: layout, session: id)
        if !target.hasPrefix("/") { target = workingDirectory + "/" + target }
        do {
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try html.write(to: URL(fileURLWithPath: target), options: .atomic)
        } catch {
            throw SessionStoreError.file(path: target, reason: error.localizedDescription)
        }
        return Written(session: id, path: target, bytes: html.count)
    }

    /// Opens `path` in the desktop's browser (`xdg-open`, or `open` on macOS); returns false when
    /// neither is there.
    public static func open(_ path: String, environment: [String: String]) -> Bool {
        #if os(macOS)
            let opener = "/usr/bin/open"
        #else
            let opener =
                (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { $0 + "/xdg-open" }
                .first { FileManager.default.isExecutableFile(atPath: $0) } ?? ""
        #endif
        guard FileManager.default.isExecutableFile(atPath: opener) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opener)
        process.arguments = [path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        return true
    }
}
