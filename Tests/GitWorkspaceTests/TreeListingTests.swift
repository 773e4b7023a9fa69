import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// `Repository.listing(ofTree:)` against `git ls-tree -r` on the same commit.
@Suite struct TreeListingTests {
    /// A repository with nested folders, a unicode name with a space, a symlink and an executable.
    static func repository() throws -> (TemporaryRepository, ObjectID) {
        let repository = try TemporaryRepository()
        try repository.write("README.md", "readme\n")
        try repository.write("src/app/main.swift", "print(1)\n")
        try repository.write("src/app/util.swift", "let x = 1\n")
        try repository.write("src/lib/deep/a b ü.txt", "u\n")
        try repository.write("tools/run.sh", "#!/bin/sh\n")
        try repository.write("zeta.txt", "z\n")
        _ = try repository.git("update-index", "--add", "--chmod=+x", "tools/run.sh")
        try FileManager.default.createSymbolicLink(atPath: repository.path + "/link", withDestinationPath: "README.md")
        _ = try repository.commitAll("files")
        let tree = try #require(ObjectID(hex: repository.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)))
        return (repository, tree)
    }

    static func gitPaths(_ repository: TemporaryRepository, _ pathspec: String...) throws -> [String] {
        try repository.git(args: ["-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", "HEAD"] + pathspec)
            .split(separator: "\n").map(String.init)
    }

    @Test func listsEveryFileInGitsOrderWithTopLevelCounts() throws {
        let (repository, tree) = try Self.repository()
        let listing = try Repository.open(at: repository.path).listing(ofTree: tree, pathLimit: 100)
        let expected = try Self.gitPaths(repository)
        #expect(listing.paths == expected)
        #expect(listing.totalFiles == expected.count && listing.isComplete && !listing.countLimitReached)
        #expect(listing.paths.contains("src/lib/deep/a b ü.txt") && listing.paths.contains("link"))
        #expect(listing.topLevel.map(\.name) == ["README.md", "link", "src", "tools", "zeta.txt"])
        for entry in listing.topLevel {
            #expect(entry.files == (try Self.gitPaths(repository, entry.name)).count, "\(entry.name)")
            #expect(entry.isFolder == ["src", "tools"].contains(entry.name))
        }
    }

    @Test func thePathLimitKeepsCountingAndTheCountLimitStops() throws {
        let (repository, tree) = try Self.repository()
        let git = try Repository.open(at: repository.path)
        let few = try git.listing(ofTree: tree, pathLimit: 2)
        #expect(few.paths == Array(try Self.gitPaths(repository).prefix(2)))
        #expect(few.totalFiles == 7 && !few.isComplete && !few.countLimitReached)
        let capped = try git.listing(ofTree: tree, pathLimit: 100, countLimit: 3)
        #expect(capped.totalFiles == 3 && capped.countLimitReached && !capped.isComplete)
        #expect(capped.paths == Array(try Self.gitPaths(repository).prefix(3)))
    }

    @Test func theEmptyTreeHasNoFiles() throws {
        let repository = try TemporaryRepository()
        let git = try Repository.open(at: repository.path)
        let listing = try git.listing(ofTree: try git.emptyTree(), pathLimit: 10)
        #expect(listing.paths.isEmpty && listing.totalFiles == 0 && listing.topLevel.isEmpty && listing.isComplete)
    }
}
