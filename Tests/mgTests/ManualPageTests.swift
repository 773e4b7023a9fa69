import Foundation
import MGTestSupport
import Testing

/// `git mg --help`: git runs `man git-mg`, which finds the page scripts/man-page generates (with
/// swift-argument-parser's generate-manual) in `../share/man` of the folder that holds `git-mg`.
@Suite struct ManualPageTests {
    /// `.build/share/man`, from the test runner's `.build/<triple>/debug/`.
    static var manualFolder: String {
        URL(fileURLWithPath: DemoEndToEndTests.mgPath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("share/man").path
    }

    @Test func gitMgHelpShowsTheManualPage() throws {
        let page = Self.manualFolder + "/man1/git-mg.1"
        try #require(FileManager.default.fileExists(atPath: page), "no \(page): scripts/test runs scripts/man-page first")
        // A folder laid out as an install is: bin/git-mg and share/man beside it.
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("mg-man-\(UUID().uuidString.prefix(6))").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: prefix + "/share", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: prefix + "/bin/git-mg", withDestinationPath: DemoEndToEndTests.mgPath)
        try FileManager.default.createSymbolicLink(atPath: prefix + "/share/man", withDestinationPath: Self.manualFolder)

        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        _ = try repository.commitAll("initial")
        var environment = FixFixture.environment
        environment["PATH"] = prefix + "/bin:/usr/local/bin:/usr/bin:/bin"
        environment["MANPAGER"] = "cat"
        environment["MANWIDTH"] = "100"
        environment.removeValue(forKey: "MANPATH")
        let help = try ProcessRunner.run("/usr/bin/git", ["mg", "--help"], in: repository.path, environment: environment)
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.contains("git-mg -- A git-native multi-agent coding assistant."), "\(help.stdout.prefix(400))")
        #expect(help.stdout.contains("mg fix \"the login test fails on empty passwords\""))
        #expect(help.stdout.contains("--task-file"))
        #expect(help.stderr.isEmpty, "man warned: \(help.stderr)")
        // And `git mg COMMAND` runs mg itself.
        let branches = try ProcessRunner.run("/usr/bin/git", ["mg", "branches"], in: repository.path, environment: environment)
        #expect(branches.status == 0 && branches.stdout.contains("No mg branches"), "\(branches.stdout)\(branches.stderr)")
    }
}
