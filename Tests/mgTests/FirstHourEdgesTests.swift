import Foundation
import MGTestSupport
import Testing

/// The smaller edges of the first hour (issue 15, item 10), through the built `mg`: each input
/// here was accepted, or failed with the wrong words, before.
@Suite struct FirstHourEdgesTests {
    private func fixer() throws -> FixFixture {
        try FixFixture(agents: [("fixer", [FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForAgent1])])
    }

    @Test func aHookThatCouldNotRunIsRefusedAtInstall() throws {
        let fixture = try fixer()
        let hook = fixture.path + "/.git/hooks/pre-push"
        for (args, words) in [
            (["nosuchcmd"], "Unexpected argument 'nosuchcmd'"),
            (["config", "chek"], "Unexpected argument 'chek'"),
            (["fix", "--bogus"], "Unknown option '--bogus'"),
            (["hook", "install", "pre-commit", "--", "config", "check"], "A hook cannot run"),
        ] {
            let run = try fixture.mg(["hook", "install", "pre-push", "--"] + args)
            #expect(run.status == 64, "\(args): \(run.stderr)")
            #expect(run.stderr.contains(words) && run.stderr.contains("Hint:"), "\(args): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: hook), "\(args) wrote the hook")
        }
        let good = try fixture.mg(["hook", "install", "pre-push", "--", "config", "check", "--quiet"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: hook))
    }

    @Test func aBaseURLThatIsNoURLIsSaidToBeOne() throws {
        let fixture = try fixer()
        try fixture.repository.write(
            ".massgen/config.yaml",
            "agents:\n  - id: local\n    backend: {type: chatcompletion, model: m, base_url: \"not a url\"}\n")
        for args in [["config", "check"], ["fix", "fix add"]] {
            let run = try fixture.mg(args)
            #expect(run.status == 65, "\(args): \(run.stderr)")
            #expect(run.stderr.contains("config.yaml:3:") && run.stderr.contains("base_url` must be an http:// or https:// URL"))
            #expect(!run.stderr.contains("key"), "\(args): \(run.stderr)")
        }
    }

    @Test func anEmptyTestCommandIsRefusedAndNoTestsSaysSo() throws {
        let fixture = try fixer()
        let empty = try fixture.mg(["fix", "fix add", "--test", ""])
        #expect(empty.status == 64 && empty.stderr.contains("--test needs a command") && empty.stderr.contains("--no-tests"))
        #expect(try fixture.agentBranches().isEmpty)
        // test.sh would be detected; --no-tests runs the session without it.
        let run = try fixture.mg(["fix", "fix add", "--no-tests", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let started = try #require(
            run.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["event"] as? String == "session_started" })
        #expect(started["test_command"] == nil)
        let detected = try fixture.mg(["fix", "fix add again"])
        #expect(detected.stdout.contains("— tests: `sh test.sh`"), "\(detected.stdout.prefix(300))")
    }

    @Test func aPlainTextFileGoesWithTheTaskAndADamagedPictureIsNamedPlainly() throws {
        let fixture = try fixer()
        let notes = fixture.path + "/../notes-\(UUID().uuidString.prefix(6)).txt"
        try "add() must add: 2 + 3 is 5.\n".write(toFile: notes, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: notes) }
        let run = try fixture.mg(["fix", "fix add", "--file", notes, "--test", "sh test.sh"])
        #expect(run.status == 0, "\(run.stderr)")
        let log = try fixture.mg(["--json", "log"]).stdout
        let record = try #require(try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [String: Any])
        let task = try #require((record["session"] as? [String: Any])?["task"] as? String)
        #expect(task == "fix add\n\nAttached \(notes):\n```\nadd() must add: 2 + 3 is 5.\n```", "\(task)")

        // A PNG cut in half: refused (65) with ffmpeg's reason, not its decoder's address.
        let picture = fixture.path + "/../cut-\(UUID().uuidString.prefix(6)).png"
        try Self.truncatedPNG().write(to: URL(fileURLWithPath: picture))
        defer { try? FileManager.default.removeItem(atPath: picture) }
        let damaged = try fixture.mg(["fix", "fix add", "--image", picture, "--test", "sh test.sh"])
        #expect(damaged.status == 65, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("damaged or truncated") && !damaged.stderr.contains("@ 0x"), "\(damaged.stderr)")
        // Binary data that is no media is still refused as --file.
        let binary = fixture.path + "/../blob-\(UUID().uuidString.prefix(6)).bin"
        try Data([0, 1, 2, 3, 0, 255]).write(to: URL(fileURLWithPath: binary))
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let refused = try fixture.mg(["fix", "fix add", "--file", binary])
        #expect(refused.status == 65 && refused.stderr.contains("plain text goes with --file"), "\(refused.stderr)")
    }

    @Test func demoDirectoryThatIsAFileIsOneLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mg-file-\(UUID().uuidString.prefix(6))").path
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        for (directory, words) in [(file, "is not a folder"), (file + "-missing", "does not exist")] {
            let run = try ProcessRunner.run(
                DemoEndToEndTests.mgPath, ["demo", "--directory", directory], in: "/", environment: FixFixture.environment)
            #expect(run.status == 64, "\(run.stderr)")
            #expect(run.stderr == "error: \(directory) \(words). Pass an existing, writable folder with --directory.\n")
        }
    }

    /// A 100×100 PNG whose image data stops half way (header intact).
    static func truncatedPNG() -> Data {
        func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
            let length = UInt32(body.count)
            let typed = Array(type.utf8) + body
            return [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
                + typed + [0, 0, 0, 0]
        }
        let header: [UInt8] = [0, 0, 0, 100, 0, 0, 0, 100, 8, 2, 0, 0, 0]
        // A stored (uncompressed) deflate stream would be valid; this one claims 30 000 bytes and has 64.
        let data = [0x78, 0x01, 0x00, 0x30, 0x75, 0xCF, 0x8A] + [UInt8](repeating: 0, count: 64)
        return Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", data))
    }
}
