import Foundation
import MGTestSupport
import Testing

/// MassGen's `context_paths` through the built `mg`: a read path agents can read and not write,
/// a write path outside the repository where only the winner's change lands (and `mg undo`
/// takes it back), and the paths mg refuses.
@Suite struct ContextPathsEndToEndTests {
    /// A folder outside any repository with `files`, removed by the caller.
    static func folder(_ files: [String: String]) throws -> String {
        let folder = NSTemporaryDirectory() + "mg-context-\(UUID().uuidString.prefix(8))"
        for (name, text) in files {
            let path = folder + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return folder
    }

    /// `agents` with their scripts, and `contextPaths` (YAML list items) under `orchestrator:`.
    static func fixture(agents: [(String, [String])], contextPaths: String) throws -> FixFixture {
        let fixture = try FixFixture(agents: agents)
        var config =
            "orchestrator:\n  ballot_seed: \(FixFixture.positionalBallotSeed)\n  context_paths:\n\(contextPaths)agents:\n"
        for (id, _) in agents {
            config += "  - id: \(id)\n    backend: {type: scripted, script: \(id).json, model: scripted}\n"
        }
        try fixture.repository.write(".massgen/config.yaml", config)
        return fixture
    }

    @Test func aReadContextPathCanBeReadButNotWritten() throws {
        let reference = try Self.folder(["notes.txt": "the reference text\n"])
        defer { try? FileManager.default.removeItem(atPath: reference) }
        let notes = reference + "/notes.txt"
        let fixture = try Self.fixture(
            agents: [
                (
                    "fixer",
                    [
                        FixFixture.call("read_file", #"{"path": "\#(notes)"}"#),
                        FixFixture.call("list_files", #"{"path": "\#(reference)"}"#),
                        FixFixture.call("write_file", #"{"path": "\#(notes)", "content": "changed\n"}"#),
                        FixFixture.call(
                            "run_command", #"{"command": "cat \#(notes); echo changed > \#(notes)"}"#),
                        FixFixture.correctFix, FixFixture.answer("Fix add()."), FixFixture.voteForSelf,
                    ]
                )
            ],
            contextPaths: "    - path: \"\(reference)\"\n      permission: read\n")
        let check = try fixture.mg(["config", "check"])
        #expect(check.status == 0 && !check.stderr.contains("context_paths"), "\(check.stderr)")

        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "the reference text\n")
        let transcript = try fixture.transcript(agent: "fixer")
        #expect(transcript.contains("1\\tthe reference text") || transcript.contains("the reference text"))
        #expect(transcript.contains("\(reference)/:"), "list_files shows the folder by its absolute path")
        #expect(transcript.contains("is in a read-only context path: you can read it, not change it"))
        #expect(transcript.contains("Read-only file system"), "the sandbox mounts it read-only for commands")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
    }

    @Test func onlyTheWinnersChangeLandsInAWritePathAndUndoTakesItBack() throws {
        let site = try Self.folder(["result.txt": "original\n", "keep.txt": "untouched\n"])
        defer { try? FileManager.default.removeItem(atPath: site) }
        let result = site + "/result.txt"
        let fixture = try Self.fixture(
            agents: [
                (
                    "fixer",
                    [
                        FixFixture.call("write_file", #"{"path": "\#(result)", "content": "from fixer\n"}"#),
                        FixFixture.correctFix, FixFixture.answer("Fix add(); report in result.txt."),
                        FixFixture.voteForAgent1,
                    ]
                ),
                (
                    "guesser",
                    [
                        FixFixture.call(
                            "run_command",
                            #"{"command": "echo from guesser > \#(result) && echo new > \#(site)/new.txt"}"#),
                        FixFixture.wrongFix, FixFixture.answer("Make add() multiply."),
                        FixFixture.voteForAgent1,
                    ]
                ),
            ],
            contextPaths: "    - path: \"\(site)\"\n      permission: write\n")
        let head = try fixture.repository.git("rev-parse", "HEAD")
        let show = try fixture.mg(["config", "show"])
        #expect(
            show.stdout.contains("context path \(site): write (a copy per agent; the winner's change lands)"),
            "\(show.stdout)")

        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        // The winner's change landed; the loser's (written through its own copy) did not. Had
        // the loser written the real file, the merge would have been refused (changed since).
        #expect(try String(contentsOfFile: result, encoding: .utf8) == "from fixer\n")
        #expect(!FileManager.default.fileExists(atPath: site + "/new.txt"))
        #expect(try String(contentsOfFile: site + "/keep.txt", encoding: .utf8) == "untouched\n")
        #expect(try fixture.repository.git("show", "HEAD:calc.sh").contains("$1 + $2"))
        #expect(run.stdout.contains("1 file(s) in context paths outside the repository"), "\(run.stdout)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path + "/.massgen/sessions/context"))

        let undo = try fixture.mg(["undo"])
        #expect(undo.status == 0, "stdout: \(undo.stdout)\nstderr: \(undo.stderr)")
        #expect(try String(contentsOfFile: result, encoding: .utf8) == "original\n")
        #expect(try fixture.repository.git("rev-parse", "HEAD") == head)
        #expect(try fixture.repository.git("status", "--porcelain").isEmpty)
    }

    @Test func protectedPathsOfAWritePathHoldForCommandsToo() throws {
        let site = try Self.folder(["page.html": "<p>old</p>\n", "config.json": "{}\n"])
        defer { try? FileManager.default.removeItem(atPath: site) }
        let fixture = try Self.fixture(
            agents: [
                (
                    "fixer",
                    [
                        FixFixture.call(
                            "run_command",
                            #"{"command": "echo '<p>new</p>' > \#(site)/page.html; echo changed > \#(site)/config.json"}"#
                        ),
                        FixFixture.correctFix, FixFixture.answer("Fix add(), new page."),
                        FixFixture.call("run_command", #"{"command": "echo '{}' > \#(site)/config.json"}"#),
                        FixFixture.answer("Fix add(), new page, config as it was."), FixFixture.voteForSelf,
                    ]
                )
            ],
            contextPaths:
                "    - path: \"\(site)\"\n      permission: write\n      protected_paths: [config.json]\n")
        let run = try fixture.mg(["fix", "fix add", "--test", "sh test.sh"])
        #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
        #expect(
            try fixture.transcript(agent: "fixer").contains(
                "Your copy of a context path changed protected paths: \(site)/config.json"))
        #expect(try String(contentsOfFile: site + "/page.html", encoding: .utf8) == "<p>new</p>\n")
        #expect(try String(contentsOfFile: site + "/config.json", encoding: .utf8) == "{}\n")
    }

    @Test func aWritePathThatContainsTheRepositoryOrIsItsMetadataIsRefused() throws {
        let fixture = try FixFixture.twoAgents()
        let parent = (fixture.path as NSString).deletingLastPathComponent
        for (path, reason) in [
            (parent, "it contains the repository mg works on"),
            (fixture.path + "/.git", "it is inside the repository's metadata (.git)"),
        ] {
            let config = try #require(fixture.repository.read(".massgen/config.yaml"))
            try fixture.repository.write(
                ".massgen/config.yaml",
                String(decoding: config, as: UTF8.self).replacingOccurrences(
                    of: "orchestrator:\n",
                    with: "orchestrator:\n  context_paths:\n    - {path: \"\(path)\", permission: write}\n"))
            let check = try fixture.mg(["config", "check"])
            #expect(check.status == 65, "\(check.stderr)")
            #expect(check.stderr.contains("the context path"), "\(check.stderr)")
            #expect(check.stderr.contains(reason), "\(check.stderr)")
            let fix = try fixture.mg(["fix", "fix add"])
            #expect(fix.status == 65)
            #expect(try fixture.agentBranches().isEmpty)
            try fixture.repository.write(".massgen/config.yaml", String(decoding: config, as: UTF8.self))
        }
    }
}
