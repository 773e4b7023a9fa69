import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// Similarity between agents' changes: built from real commits on branches off one base.
@Suite struct SimilarityTests {
    /// A repository with a base commit and helpers to commit an "agent answer" on top of it.
    struct Fixture {
        let repo: TemporaryRepository
        let base: String

        init() throws {
            repo = try TemporaryRepository()
            try repo.write("a.txt", (1...40).map { "alpha \($0)\n" }.joined())
            try repo.write("b.txt", (1...10).map { "beta \($0)\n" }.joined())
            try repo.write("c/d.txt", (1...10).map { "delta \($0)\n" }.joined())
            base = try repo.commitAll("base")
        }

        /// Commits `files` (path → content, nil deletes) on a fresh branch from the base.
        func answer(_ name: String, _ files: [String: String?]) throws -> TreeDiff {
            try repo.git("checkout", "-q", "-b", name, base)
            for (path, content) in files {
                if let content {
                    try repo.write(path, content)
                } else {
                    try FileManager.default.removeItem(atPath: repo.path + "/" + path)
                }
            }
            let commit = try repo.commitAll(name)
            try repo.git("checkout", "-q", "main")
            return try Repository.open(at: repo.path).diff(from: ObjectID(hex: base), to: ObjectID(hex: commit))
        }

        func edited(_ prefix: String, count: Int, changing lines: Set<Int>, tag: String) -> String {
            (1...count).map { lines.contains($0) ? "\(prefix) \($0) \(tag)\n" : "\(prefix) \($0)\n" }.joined()
        }
    }

    @Test func identicalChangesScoreOne() throws {
        let f = try Fixture()
        let one = try f.answer("one", ["a.txt": f.edited("alpha", count: 40, changing: [3, 7], tag: "fix")])
        let two = try f.answer("two", ["a.txt": f.edited("alpha", count: 40, changing: [3, 7], tag: "fix")])
        #expect(one.newTree == two.newTree)
        #expect(ChangeSimilarity.score(one, two) == 1)
    }

    @Test func disjointFilesScoreZero() throws {
        let f = try Fixture()
        let one = try f.answer("one", ["a.txt": f.edited("alpha", count: 40, changing: [1], tag: "x")])
        let two = try f.answer("two", ["b.txt": f.edited("beta", count: 10, changing: [1], tag: "x"), "new.txt": "n\n"])
        #expect(ChangeSimilarity.score(one, two) == 0)
    }

    @Test func partialOverlapIsBetweenAndSymmetric() throws {
        let f = try Fixture()
        let one = try f.answer("one", ["a.txt": f.edited("alpha", count: 40, changing: [2, 4, 6, 8], tag: "fix")])
        let two = try f.answer(
            "two", ["a.txt": f.edited("alpha", count: 40, changing: [2, 4, 30], tag: "fix"), "b.txt": nil])
        let forward = ChangeSimilarity.score(one, two)
        let backward = ChangeSimilarity.score(two, one)
        #expect(forward > 0 && forward < 1)
        #expect(forward == backward)
        // a.txt: one = {±2,±4,±6,±8} (8 tokens), two = {±2,±4,±30} (6); ∩ = 4, ∪ = 10 → 0.4.
        // Weights: a.txt is all of one and 6/16 of two (b.txt's 10 deletions are the rest).
        let expected = (1.0 + 6.0 / 16.0) / 2 * 0.4
        #expect(abs(forward - expected) < 1e-12)
    }

    @Test func emptyChangesAreIdenticalAndEmptyVersusNonEmptyIsZero() throws {
        let f = try Fixture()
        let none1 = try f.answer("none1", [:])
        let none2 = try f.answer("none2", [:])
        let some = try f.answer("some", ["b.txt": "changed\n"])
        #expect(none1.isEmpty && none2.isEmpty)
        #expect(ChangeSimilarity.score(none1, none2) == 1)
        #expect(ChangeSimilarity.score(none1, some) == 0)
    }

    @Test func sameBinaryEditAgreesDifferentBinaryEditDoesNot() throws {
        let f = try Fixture()
        let blob = String(decoding: [0, 1, 2, 3], as: UTF8.self)
        let one = try f.answer("one", ["c/d.txt": blob, "a.txt": f.edited("alpha", count: 40, changing: [1], tag: "y")])
        let two = try f.answer("two", ["c/d.txt": blob, "a.txt": f.edited("alpha", count: 40, changing: [1], tag: "z")])
        let three = try f.answer("three", ["c/d.txt": blob + "x", "a.txt": f.edited("alpha", count: 40, changing: [1], tag: "y")])
        let oneTwo = ChangeSimilarity.score(one, two)
        let oneThree = ChangeSimilarity.score(one, three)
        #expect(oneTwo > 0 && oneTwo < 1)
        #expect(oneThree > 0 && oneThree < 1)
    }

    @Test func matrixIsSymmetricWithOnesOnTheDiagonal() throws {
        let f = try Fixture()
        let diffs = [
            try f.answer("p", ["a.txt": f.edited("alpha", count: 40, changing: [1, 2], tag: "p")]),
            try f.answer("q", ["a.txt": f.edited("alpha", count: 40, changing: [1, 2], tag: "p"), "b.txt": "x\n"]),
            try f.answer("r", ["c/d.txt": "other\n"]),
            try f.answer("s", [:]),
        ]
        let matrix = ChangeSimilarity.matrix(diffs)
        #expect(matrix.values.count == 4)
        for i in 0..<4 {
            #expect(matrix.values[i][i] == 1)
            for j in 0..<4 {
                #expect(matrix.values[i][j] == matrix.values[j][i])
                #expect((0...1).contains(matrix.values[i][j]))
            }
        }
        #expect(matrix.values[0][2] == 0)
        #expect(matrix.values[0][1] > matrix.values[0][2])
        let mean = try #require(matrix.meanOffDiagonal)
        #expect(mean < 0.3)
        #expect(matrix.label() == .diverse)
        #expect(SimilarityMatrix(values: [[1, 0.9], [0.9, 1]]).label() == .converged)
        #expect(SimilarityMatrix(values: [[1, 0.5], [0.5, 1]]).label() == .mixed)
        #expect(SimilarityMatrix(values: [[1]]).label() == .single)
    }

    @Test func identicalIterationIsDetectedByTree() throws {
        let f = try Fixture()
        try f.repo.git("checkout", "-q", "-b", "agent", f.base)
        try f.repo.write("b.txt", "first\n")
        let first = try f.repo.commitAll("iteration 1")
        try f.repo.git("commit", "-q", "--allow-empty", "-m", "iteration 2, same content")
        let second = try f.repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try f.repo.write("b.txt", "second\n")
        let third = try f.repo.commitAll("iteration 3")
        let opened = try Repository.open(at: f.repo.path)
        let ids = try [first, second, third].map { try #require(ObjectID(hex: $0)) }
        #expect(try IterationNovelty.isIdentical(ids[1], toPrevious: ids[0], in: opened))
        #expect(try !IterationNovelty.isIdentical(ids[2], toPrevious: ids[1], in: opened))
        #expect(try !IterationNovelty.isIdentical(ids[0], toPrevious: nil, in: opened))
    }
}
