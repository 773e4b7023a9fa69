import Foundation
import MGTestSupport
import Testing

/// Sessions as a user meets them: migrating MassGen history before `mg init`, resuming when
/// nothing is interrupted, and what a later turn prints.
@Suite struct SessionsInPracticeTests {
    @Test func migratingBeforeInitLeavesNothingForGitToSee() throws {
        let fixture = try SessionFixture()
        let log = fixture.path + "/.massgen/massgen_logs/log_20250929_101010_000001"
        try FileManager.default.createDirectory(atPath: log + "/agent_outputs", withIntermediateDirectories: true)
        try #"{"meta": {"question": "Write a haiku"}}"#.write(toFile: log + "/status.json", atomically: true, encoding: .utf8)
        try "An old pond".write(toFile: log + "/agent_outputs/final_presentation_a.txt", atomically: true, encoding: .utf8)
        #expect(try fixture.repository.git("status", "--porcelain").contains("?? .massgen/"))
        let run = try fixture.mg("migrate")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Imported 1 session(s) and 1 turn(s)"), "\(run.stdout)")
        #expect(try fixture.repository.git("status", "--porcelain").isEmpty, "the store and MassGen's folders are ignored")
        #expect(try fixture.mg("log", "massgen-log_20250929_101010_000001").stdout.contains("Write a haiku"))
    }

    @Test func resumingWithNothingInterruptedSaysSoAndALaterTurnShowsItsOwnTask() throws {
        let fixture = try SessionFixture()
        let config = try fixture.config("fix", edit: "$1 - $2", "$1 + $2", summary: "Fixed add().")
        #expect(try fixture.mg("fix", "add 2 3 prints -1", "--config", config, "-q").status == 0)
        let resume = try fixture.mg("continue", "--resume", "--config", config)
        #expect(resume.status == 64, "\(resume.stderr)")
        #expect(resume.stderr.contains("No session is interrupted, so there is nothing to resume."))
        let next = try fixture.config("next", edit: "$1 * $2", "$2 * $1", summary: "Commute mul().")
        let turn = try fixture.mg("continue", "now tidy mul", "--config", next)
        #expect(turn.status == 0, "\(turn.stderr)")
        let started = try #require(turn.stdout.split(separator: "\n").first { $0.contains(" started") })
        #expect(started.hasSuffix(": now tidy mul — tests: `sh test.sh`"), "\(started)")
        #expect(!turn.stdout.contains("This continues an earlier mg session"))
    }
}
