import Foundation
import GitWorkspace
import MGTestSupport
import Testing
import Voting

@Suite struct WorkspaceDiffLoggerTests {
    @Test func logsAnswerDiffsAndSimilarityMatchingGit() async throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", (1...20).map { "line \($0)\n" }.joined())
        let base = try #require(ObjectID(hex: try repository.commitAll("base")))
        try repository.write("a.txt", (1...20).map { $0 == 3 ? "changed 3\n" : "line \($0)\n" }.joined())
        let first = try #require(ObjectID(hex: try repository.commitAll("first")))
        try repository.write("b.txt", "new\n")
        let second = try #require(ObjectID(hex: try repository.commitAll("second")))

        let logger = WorkspaceDiffLogger(repositoryRoot: repository.path, session: "s1")
        let diffs = try await logger.logAnswer(
            agent: "fixer", anonymousID: "agent1", iteration: 2, commit: second, base: base, previous: first,
            patchBudget: 10_000)
        #expect(diffs.record.againstBase.filesChanged == 2)
        #expect(diffs.record.againstBase.changedLines == 3)
        #expect(
            diffs.record.againstBase.stat
                == (try repository.git("diff", "-M", "--stat", base.hex, second.hex)))
        #expect(diffs.record.againstPrevious?.paths == ["b.txt"])
        #expect(diffs.patch.isComplete)

        let similarity = try await logger.logSimilarity(
            answers: [("agent1", first), ("agent2", first), ("agent3", second)], base: base, round: "round 1")
        #expect(similarity.values[0][1] == 1)
        #expect(similarity.values[0][2] > 0 && similarity.values[0][2] < 1)
        #expect(similarity.label == "mixed" || similarity.label == "converged")
        let log = try String(contentsOfFile: logger.logPath, encoding: .utf8)
        #expect(logger.logPath.hasSuffix(".massgen/sessions/s1/diff-log.md"))
        #expect(log.contains("## fixer (agent1) — answer 2"))
        #expect(log.contains("Against answer 1"))
        #expect(log.contains("| agent1 | 1.00 | 1.00 |"))
        #expect(log.contains("Mean similarity"))
    }

    @Test func singleAnswerIsLabelledSingle() async throws {
        let repository = try TemporaryRepository()
        try repository.write("a.txt", "a\n")
        let base = try #require(ObjectID(hex: try repository.commitAll("base")))
        try repository.write("a.txt", "b\n")
        let answer = try #require(ObjectID(hex: try repository.commitAll("answer")))
        let record = try await WorkspaceDiffLogger(repositoryRoot: repository.path, session: "s2")
            .logSimilarity(answers: [("agent1", answer)], base: base, round: "end")
        #expect(record.label == "single")
        #expect(record.mean == nil)
    }
}
