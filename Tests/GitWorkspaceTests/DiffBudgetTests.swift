import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// `TreeDiff.budgetedPatch(maxBytes:)` and per-file patches on real commits.
@Suite struct DiffBudgetTests {
    /// Base with 6 files; the change edits one line in five of them and rewrites the sixth.
    static func largeChange() throws -> (TemporaryRepository, TreeDiff) {
        let repo = try TemporaryRepository()
        for index in 0..<6 {
            try repo.write("f\(index).txt", (0..<200).map { "file \(index) line \($0)\n" }.joined())
        }
        let base = try repo.commitAll("base")
        for index in 0..<5 {
            try repo.write("f\(index).txt", (0..<200).map { $0 == 100 ? "edited\n" : "file \(index) line \($0)\n" }.joined())
        }
        try repo.write("f5.txt", (0..<200).map { "rewritten \($0)\n" }.joined())
        let next = try repo.commitAll("change")
        let diff = try Repository.open(at: repo.path).diff(from: ObjectID(hex: base), to: ObjectID(hex: next))
        return (repo, diff)
    }

    @Test func smallDiffIsReturnedWhole() throws {
        let (_, diff) = try Self.largeChange()
        let budget = diff.budgetedPatch(maxBytes: 1_000_000)
        #expect(budget.isComplete)
        #expect(budget.text == diff.patch)
        #expect(budget.omittedHunks == 0)
    }

    @Test func largeDiffKeepsStatsAndTheBiggestHunksWithinBudget() throws {
        let (_, diff) = try Self.largeChange()
        let full = diff.patch.utf8.count
        let budget = diff.budgetedPatch(maxBytes: 2_000)
        #expect(full > 2_000)
        #expect(!budget.isComplete)
        #expect(budget.text.utf8.count <= 2_000)
        #expect(budget.text.hasPrefix(diff.stat()))
        // The one-line edits (2 changed lines each) fit; the 400-line rewrite does not.
        #expect(budget.text.contains("+edited"))
        #expect(budget.filesWithoutHunks == ["f5.txt"])
        #expect(budget.omittedHunks == 1)
        #expect(budget.omittedLines == 400)
        #expect(budget.text.contains("1 of 6 hunks (400 changed lines) left out"))

        // With room for the rewrite, the biggest hunk is chosen first.
        let roomy = diff.budgetedPatch(maxBytes: full - 200)
        #expect(roomy.text.contains("+rewritten 0"))
        #expect(roomy.text.utf8.count <= full - 200)
    }

    @Test func perFilePatchMatchesTheWholePatchSlice() throws {
        let (repo, diff) = try Self.largeChange()
        let whole = diff.files.map { $0.patch() }.joined()
        #expect(whole == diff.patch)
        let first = try #require(diff.file(at: "f0.txt"))
        let git = try repo.git("diff", diff.oldTree.hex, diff.newTree.hex, "--", "f0.txt")
        // Same text as git apart from the abbreviated blob ids' length.
        let strip: (String) -> [String] = { $0.split(separator: "\n").filter { !$0.hasPrefix("index ") }.map(String.init) }
        #expect(strip(first.patch()) == strip(git))
    }
}
