import Foundation
import MGTestSupport
import Testing

@testable import GitWorkspace

/// `Repository.writeTree(ofFolder:)` stores any folder as git would (checked against the git
/// CLI), and a merge record's files outside the repository land and are undone with it.
@Suite struct FolderTreeTests {
    /// A folder with text, an executable, a link, a nested and an empty folder, and a `.git`.
    func makeFolder(_ root: String) throws {
        let fm = FileManager.default
        for folder in ["src/deep", "empty", ".git"] {
            try fm.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        try "hello\n".write(toFile: root + "/a.txt", atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho run\n".write(toFile: root + "/src/run.sh", atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root + "/src/run.sh")
        try "deep\r\n".write(toFile: root + "/src/deep/crlf.txt", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/link", withDestinationPath: "a.txt")
        try "not content\n".write(toFile: root + "/.git/HEAD", atomically: true, encoding: .utf8)
    }

    @Test func aFolderBecomesTheTreeGitWouldWrite() throws {
        let repository = try TemporaryRepository()
        let folder = NSTemporaryDirectory() + "mg-folder-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try makeFolder(folder)
        let tree = try Repository.open(at: repository.path).writeTree(ofFolder: folder)

        // The reference: the same files added to a scratch repository by the git CLI.
        let reference = try TemporaryRepository()
        let copied = try ProcessRunner.run(
            "/bin/cp", ["-a", folder + "/.", reference.path + "/files"], in: reference.path,
            environment: GitCLI.environment())
        #expect(copied.status == 0, "\(copied.stderr)")
        try? FileManager.default.removeItem(atPath: reference.path + "/files/.git")
        _ = try reference.git("-c", "core.autocrlf=false", "add", "-A", "files")
        let expected = try reference.git("write-tree", "--prefix=files/").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(tree.hex == expected)
        // Every blob is stored, so the tree can be checked out again byte for byte.
        _ = try repository.git("cat-file", "-p", tree.hex)
        let copy = NSTemporaryDirectory() + "mg-folder-copy-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try Repository.open(at: repository.path).materialize(tree: tree, into: copy)
        #expect(try String(contentsOfFile: copy + "/src/deep/crlf.txt", encoding: .utf8) == "deep\r\n")
        #expect(FileManager.default.isExecutableFile(atPath: copy + "/src/run.sh"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: copy + "/link") == "a.txt")
        // Only the named top-level entries, when asked.
        let single = try Repository.open(at: repository.path).writeTree(ofFolder: folder) { $0 == "a.txt" }
        #expect(try repository.git("ls-tree", "--name-only", single.hex) == "a.txt\n")
    }

    @Test func filesOutsideTheRepositoryLandAndAreUndoneWithTheRecord() throws {
        let repository = try TemporaryRepository()
        try repository.write("x.txt", "x\n")
        _ = try repository.commitAll("base")
        let folder = NSTemporaryDirectory() + "mg-outside-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "before\n".write(toFile: folder + "/out.txt", atomically: true, encoding: .utf8)
        let git = try Repository.open(at: repository.path)
        let before = try git.writeTree(ofFolder: folder)
        let changed = NSTemporaryDirectory() + "mg-outside-new-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: changed) }
        try FileManager.default.createDirectory(atPath: changed + "/sub", withIntermediateDirectories: true)
        try "after\n".write(toFile: changed + "/out.txt", atomically: true, encoding: .utf8)
        try "added\n".write(toFile: changed + "/sub/new.txt", atomically: true, encoding: .utf8)
        let after = try git.writeTree(ofFolder: changed)
        let updates = try git.pathChanges(from: before, to: after).map {
            OperationRecord.OutsideUpdate(
                folder: folder, update: .init(path: $0.path, before: $0.old, after: $0.new))
        }
        let record = OperationRecord(
            kind: .merge(.apply), repositoryRoot: repository.path, outsideUpdates: updates,
            summary: "outside only")
        try MergeBack(repositoryRoot: repository.path).apply(
            record, winnerBranch: "refs/heads/main",
            base: try BaseSnapshot.capture(repositoryPath: repository.path, session: "s"))
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "after\n")
        #expect(try String(contentsOfFile: folder + "/sub/new.txt", encoding: .utf8) == "added\n")

        // The record survives the journal (Codable) and undo puts everything back.
        let stored = try JSONDecoder().decode(OperationRecord.self, from: JSONEncoder().encode(record))
        #expect(stored == record)
        #expect(try OperationReverter(repositoryRoot: repository.path).undo(stored) == .reverted)
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "before\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/sub"))
        // A file changed since refuses the merge and changes nothing.
        try "someone else\n".write(toFile: folder + "/out.txt", atomically: true, encoding: .utf8)
        #expect(throws: GitWorkspaceError.self) {
            try MergeBack(repositoryRoot: repository.path).apply(
                record, winnerBranch: "refs/heads/main",
                base: try BaseSnapshot.capture(repositoryPath: repository.path, session: "s"))
        }
        #expect(try String(contentsOfFile: folder + "/out.txt", encoding: .utf8) == "someone else\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/sub"))
        // Records written before context paths (no outside key) still decode.
        var legacy = record
        legacy.outsideUpdates = nil
        let text = String(decoding: try JSONEncoder().encode(legacy), as: UTF8.self)
        #expect(!text.contains("outsideUpdates"))
        #expect(try JSONDecoder().decode(OperationRecord.self, from: Data(text.utf8)).outsideUpdates == nil)
    }
}
