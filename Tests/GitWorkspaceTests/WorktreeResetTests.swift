import Foundation
import MGTestSupport
import Testing

@testable import GitWorkspace

/// `adopt_answer`'s reset writes files the way git checks them out (the one `WorkingTreeFiles`
/// implementation: checkout filters, links, executable bits, empty folders removed), checked
/// against a worktree the git CLI made of the same commit.
@Suite struct WorktreeResetTests {
    @Test func resetWritesWhatGitCheckoutWritesAndKeepsUnfinishedWork() throws {
        let repo = try TemporaryRepository()
        let files = [
            ".gitattributes": "*.txt text eol=crlf\n", "notes.txt": "one\ntwo\n", "run.sh": "#!/bin/sh\necho 1\n",
            "old/gone.txt": "bye\n",
        ]
        for (path, text) in files { try repo.write(path, text) }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/run.sh")
        let base = try #require(ObjectID(hex: try repo.commitAll("base")))
        let worktrees = try WorktreeManager(repositoryRoot: repo.path).create(
            session: "s", agents: ["adopter", "author"], base: base)
        let (adopter, author) = (worktrees[0], worktrees[1])

        // The author's answer: an edit, a new link and executable, a deletion that empties a folder.
        let authorFiles = TemporaryPath(author.path)
        try authorFiles.write("notes.txt", "one\nthree\n")
        try authorFiles.write("run.sh", "#!/bin/sh\necho 2\n")
        try authorFiles.write("bin/tool", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: author.path + "/bin/tool")
        try FileManager.default.createSymbolicLink(atPath: author.path + "/link", withDestinationPath: "notes.txt")
        try FileManager.default.removeItem(atPath: author.path + "/old")
        guard case .committed(let answer) = try IterationCommitter.commit(author, iteration: 1, summary: "answer")
        else {
            Issue.record("the author's answer was not committed")
            return
        }
        // The adopter has unfinished work of its own.
        try TemporaryPath(adopter.path).write("scratch.txt", "half done\n")

        let plan = try WorktreeReset.plan(
            adopter, to: answer.commit, message: "adopt the author's answer", savedWorkSummary: "unfinished")
        try WorktreeReset.apply(plan, in: adopter)

        // The reset leaves the worktree's index to the next iteration commit (which stages
        // everything); with the index set to HEAD, git must see exactly HEAD's files.
        try GitCLI.run(["reset", "-q"], in: adopter.path)
        let status = try GitCLI.run(["status", "--porcelain", "--untracked-files=all"], in: adopter.path)
        #expect(status == "", "\(status)")
        #expect(try GitCLI.run(["rev-parse", "HEAD"], in: adopter.path).hasPrefix(plan.newTip.hex))
        let saved = try #require(plan.savedWork)
        #expect(try GitCLI.run(["rev-parse", "HEAD^"], in: adopter.path).hasPrefix(saved.hex))
        #expect(try GitCLI.run(["show", "\(saved.hex):scratch.txt"], in: adopter.path) == "half done\n")

        // The git CLI's own checkout of the answer is the reference, byte for byte and mode for mode.
        let reference = repo.path + "/.massgen/reference"
        try repo.git("worktree", "add", "-q", "--detach", reference, answer.commit.hex)
        for path in ["notes.txt", "run.sh", "bin/tool", ".gitattributes"] {
            #expect(
                FileManager.default.contents(atPath: adopter.path + "/" + path)
                    == FileManager.default.contents(atPath: reference + "/" + path), "\(path)")
            #expect(try permissions(adopter.path + "/" + path) == (try permissions(reference + "/" + path)), "\(path)")
        }
        #expect(FileManager.default.contents(atPath: adopter.path + "/notes.txt") == Data("one\r\nthree\r\n".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: adopter.path + "/link") == "notes.txt")
        #expect(!FileManager.default.fileExists(atPath: adopter.path + "/old"), "the emptied folder is removed")
        try repo.fsck()
    }

    @Test func anObjectThatCannotBeReadLeavesTheFileAsItWas() throws {
        let repo = try TemporaryRepository()
        try repo.write("notes.txt", "mine\n")
        let base = try #require(ObjectID(hex: try repo.commitAll("base")))
        let worktree = try #require(
            try WorktreeManager(repositoryRoot: repo.path).create(session: "s", agents: ["a"], base: base).first)
        let missing = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let plan = WorktreeReset.Plan(
            savedWork: nil, oldTip: base, newTip: base,
            changes: [PathChange(path: "notes.txt", old: nil, new: TreeEntry(id: missing, mode: .regular))])
        #expect(throws: GitWorkspaceError.self) { try WorktreeReset.apply(plan, in: worktree) }
        #expect(FileManager.default.contents(atPath: worktree.path + "/notes.txt") == Data("mine\n".utf8))
    }

    private func permissions(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }
}

/// Writes files below a folder that is not a `TemporaryRepository` (an agent's worktree).
private struct TemporaryPath {
    let root: String

    init(_ root: String) {
        self.root = root
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: root + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
