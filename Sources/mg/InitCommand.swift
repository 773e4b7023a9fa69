import ArgumentParser
import GitWorkspace

/// `mg init`: create `.massgen/` from the embedded template.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create .massgen/ (config template, workspaces, sessions) in this repository.",
        discussion: """
            Idempotent: files that exist are left as they are. The folder ignores itself, so your \
            .gitignore is untouched. A MassGen (Python) layout found inside .massgen/ is reported \
            and left alone for `mg migrate`.

            Examples:
              mg init
              git mg init
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let repository = try Startup.repository()
            let layout = ProjectLayout(repositoryRoot: repository.workingDirectory)
            let report = try layout.prepare()
            if report.createdFiles.isEmpty {
                console.result("\(layout.root) is already set up; nothing changed.")
            } else {
                console.result("Created \(layout.root) (\(report.createdFiles.sorted().joined(separator: ", "))).")
                console.info("Edit \(layout.configFile) to choose agents, or export a provider key (see `mg config check`).")
            }
            if let legacy = report.legacyLayout {
                console.warning(
                    "found a MassGen layout in \(layout.root) (\(legacy.markers.joined(separator: ", "))); it was left untouched. Run `mg migrate` to import it.")
            }
            console.emit([
                "event": "initialized", "root": layout.root, "created": report.createdFiles.sorted(),
                "legacy_layout": report.legacyLayout?.markers ?? [],
            ])
        }
    }
}
