import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// mg's diffs against the git CLI on the same pair of commits: `--numstat`, `--name-status`
/// and `--stat` must be byte-identical, and the patch must apply with `git apply`.
@Suite struct DiffCompatibilityTests {
    /// Compares every git-printed form of the diff between `old` and `new` in `repo`.
    static func expectMatchesGit(
        _ repo: TemporaryRepository, from old: String, to new: String, label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let opened = try Repository.open(at: repo.path)
        let diff = try opened.diff(from: ObjectID(hex: old), to: ObjectID(hex: new))
        let gitNumstat = try repo.git("diff", "-M", "--numstat", old, new)
        let gitNameStatus = try repo.git("diff", "-M", "--name-status", old, new)
        let gitStat = try repo.git("diff", "-M", "--stat", old, new)
        let ours = (numstat: diff.numstat, nameStatus: diff.nameStatus, stat: diff.stat())
        #expect(ours.numstat == gitNumstat, "numstat \(label)", sourceLocation: sourceLocation)
        #expect(ours.nameStatus == gitNameStatus, "name-status \(label)", sourceLocation: sourceLocation)
        #expect(ours.stat == gitStat, "stat \(label)", sourceLocation: sourceLocation)
        // The patch text itself equals git's, blob-id abbreviations aside (git lengthens them
        // when 7 digits are ambiguous).
        let gitPatch = try repo.git("diff", "-M", old, new)
        #expect(
            Self.withoutIndexLines(diff.patch) == Self.withoutIndexLines(gitPatch), "patch \(label)",
            sourceLocation: sourceLocation)
        #expect(diff.insertions == diff.files.reduce(0) { $0 + $1.additions })
    }

    static func withoutIndexLines(_ patch: String) -> String {
        patch.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("index ") ? "index" : String($0) }.joined(separator: "\n")
    }

    /// Checks `git apply --check` of mg's patch (text files only) on a checkout of `old`.
    static func expectPatchApplies(
        _ repo: TemporaryRepository, from old: String, to new: String, label: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let opened = try Repository.open(at: repo.path)
        var diff = try opened.diff(from: ObjectID(hex: old), to: ObjectID(hex: new))
        diff.files.removeAll { $0.isBinary && $0.oldID != $0.newID }
        let patchFile = repo.path + "/../" + UUID().uuidString + ".patch"
        try Data(diff.patchData).write(to: URL(fileURLWithPath: patchFile))
        defer { try? FileManager.default.removeItem(atPath: patchFile) }
        try repo.git("checkout", "-q", "--detach", old)
        let result = try GitCLI.runAllowingFailure(["apply", "--check", patchFile], in: repo.path)
        #expect(result.status == 0, "apply \(label): \(result.stderr)", sourceLocation: sourceLocation)
        // Applying for real must reproduce the new tree for the text files.
        let applied = try GitCLI.runAllowingFailure(["apply", "--index", patchFile], in: repo.path)
        #expect(applied.status == 0, "apply --index \(label): \(applied.stderr)", sourceLocation: sourceLocation)
        try repo.git("reset", "-q", "--hard")
        try repo.git("checkout", "-q", "main")
    }

    @Test(arguments: 0..<40)
    func randomRepositoryStatesMatchGit(seed: Int) throws {
        var generator = try DiffRandomRepository(seed: UInt64(seed) &* 7919 &+ 17)
        let base = try generator.makeBase(files: 6 + seed % 10)
        let first = try generator.mutate(operations: 2 + seed % 7)
        let second = try generator.mutate(operations: 1 + seed % 5)
        try Self.expectMatchesGit(generator.repo, from: base, to: first, label: "seed \(seed) base→1")
        try Self.expectMatchesGit(generator.repo, from: first, to: second, label: "seed \(seed) 1→2")
        try Self.expectMatchesGit(generator.repo, from: second, to: base, label: "seed \(seed) 2→base")
        try Self.expectPatchApplies(generator.repo, from: base, to: second, label: "seed \(seed)")
    }

    @Test func unbornBaseDiffsAgainstTheEmptyTree() throws {
        let repo = try TemporaryRepository()
        try repo.write("a.txt", "one\ntwo\n")
        try repo.write("sub dir/ü.txt", "x")
        try repo.write("empty", "")
        let head = try repo.commitAll()
        let opened = try Repository.open(at: repo.path)
        let diff = try opened.diff(from: nil, to: ObjectID(hex: head))
        #expect(diff.oldTree == ObjectID.emptyTree)
        let gitNumstat = try repo.git("diff", "--numstat", ObjectID.emptyTree.hex, head)
        let gitNameStatus = try repo.git("diff", "--name-status", ObjectID.emptyTree.hex, head)
        #expect(diff.numstat == gitNumstat)
        #expect(diff.nameStatus == gitNameStatus)
        #expect(diff.files.map(\.status) == [.added, .added, .added])
        #expect(diff.insertions == 3)
    }

    @Test func sameTreeGivesAnEmptyDiff() throws {
        let repo = try TemporaryRepository()
        try repo.write("a", "1\n")
        let head = try repo.commitAll()
        let diff = try Repository.open(at: repo.path).diff(from: ObjectID(hex: head), to: ObjectID(hex: head))
        #expect(diff.isEmpty)
        #expect(diff.numstat.isEmpty)
        #expect(diff.patch.isEmpty)
    }

    @Test func renameAmbiguitiesFollowGitsPairing() throws {
        let repo = try TemporaryRepository()
        let body = (0..<30).map { "line \($0)\n" }.joined()
        try repo.write("one/same.txt", body)
        try repo.write("two/same.txt", body)
        try repo.write("three/other.txt", body + "tail\n")
        try repo.write("e1", "")
        try repo.write("e2", "")
        let base = try repo.commitAll()
        for path in ["one/same.txt", "two/same.txt", "three/other.txt", "e1", "e2"] {
            try FileManager.default.removeItem(atPath: repo.path + "/" + path)
        }
        try repo.write("moved/same.txt", body)
        try repo.write("moved/copy.txt", body + "more\n")
        try repo.write("moved/other.txt", body + "tail\nand more\n")
        try repo.write("e3", "")
        let next = try repo.commitAll()
        try Self.expectMatchesGit(repo, from: base, to: next, label: "ambiguous")
    }

    @Test func detectedRenameCarriesGitsSimilarity() throws {
        let repo = try TemporaryRepository()
        try repo.write("d/old.txt", (1...20).map { "\($0)\n" }.joined())
        let base = try repo.commitAll()
        try repo.git("mv", "d/old.txt", "d/new.txt")
        try repo.write("d/new.txt", (1...21).map { "\($0)\n" }.joined())
        let next = try repo.commitAll()
        let diff = try Repository.open(at: repo.path).diff(from: ObjectID(hex: base), to: ObjectID(hex: next))
        let change = try #require(diff.files.first)
        #expect(change.status == .renamed(similarity: 94))
        #expect(change.displayPath() == "d/{old.txt => new.txt}")
        #expect(change.additions == 1 && change.deletions == 0)
        try Self.expectPatchApplies(repo, from: base, to: next, label: "rename")
    }

    @Test func copiesAreFoundWhenAsked() throws {
        let repo = try TemporaryRepository()
        let body = (0..<20).map { "row \($0)\n" }.joined()
        try repo.write("src.txt", body)
        let base = try repo.commitAll()
        try repo.write("src.txt", body + "changed\n")
        try repo.write("dup.txt", body + "dup\n")
        let next = try repo.commitAll()
        let diff = try Repository.open(at: repo.path).diff(
            from: ObjectID(hex: base), to: ObjectID(hex: next), options: DiffOptions(detectCopies: true))
        #expect(diff.nameStatus == (try repo.git("diff", "-C", "--name-status", base, next)))
        #expect(diff.numstat == (try repo.git("diff", "-C", "--numstat", base, next)))
    }

    @Test func longNamesAndBigCountsAreScaledLikeGitStat() throws {
        let repo = try TemporaryRepository()
        let deep = "very/deeply/nested/folder/structure/that/goes/on/and/on/"
        try repo.write(deep + "a-file-with-a-rather-long-name.swift", (0..<300).map { "line \($0)\n" }.joined())
        try repo.write("short.txt", "a\nb\n")
        try repo.write("bin.dat", data: Data([0, 1, 2, 3, 4]))
        let base = try repo.commitAll()
        try repo.write(deep + "a-file-with-a-rather-long-name.swift", (0..<300).map { $0 % 3 == 0 ? "changed \($0)\n" : "line \($0)\n" }.joined())
        try repo.git("mv", "short.txt", deep + "moved-short-file-with-long-name.txt")
        try repo.write("bin.dat", data: Data([0, 9, 9, 9, 9, 9, 9, 9]))
        try repo.write("exec.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/exec.sh")
        let next = try repo.commitAll()
        try Self.expectMatchesGit(repo, from: base, to: next, label: "long names")
    }
}
