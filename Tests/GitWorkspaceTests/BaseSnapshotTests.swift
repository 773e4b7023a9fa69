import Foundation
import GitWorkspace
import MGTestSupport
import Testing

@Suite struct BaseSnapshotTests {
    @Test func cleanTreeUsesHEAD() throws {
        let repo = try TemporaryRepository()
        try repo.write("a.txt", "a\n")
        let head = try repo.commitAll()
        let snapshot = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        #expect(snapshot.commit.hex == head)
        #expect(snapshot.isClean)
        #expect(snapshot.targetRef == "refs/heads/main")
    }

    @Test func capturesEveryKindOfChangeWithoutTouchingTheUser() throws {
        let repo = try TemporaryRepository()
        try repo.write("keep.txt", "keep\n")
        try repo.write("modify.txt", "old\n")
        try repo.write("delete.txt", "bye\n")
        try repo.write("stage-then-edit.txt", "v1\n")
        try repo.write("rename-me.txt", String(repeating: "line\n", count: 20))
        try repo.write("run.sh", "#!/bin/sh\n")
        try repo.write(".gitignore", "*.log\n")
        try repo.commitAll("initial")

        try repo.write("modify.txt", "new\n")
        try FileManager.default.removeItem(atPath: repo.path + "/delete.txt")
        try repo.write("stage-then-edit.txt", "v2\n")
        try repo.git("add", "stage-then-edit.txt")
        try repo.write("stage-then-edit.txt", "v3\n")
        try repo.git("mv", "rename-me.txt", "renamed.txt")
        try repo.git("update-index", "--chmod=+x", "run.sh")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/run.sh")
        try repo.write("dir with space/ünïcode.txt", "u\n")
        try repo.write("bin.dat", data: Data([0, 1, 2, 255, 0, 7]))
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link", withDestinationPath: "keep.txt")
        try repo.write("debug.log", "ignored\n")
        try repo.write(".env", "OPENAI_API_KEY=sk-secret\n")
        try repo.write("certs/server.pem", "-----BEGIN-----\n")

        let before = try repo.userStateSnapshot()
        let snapshot = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s1")
        let after = try repo.userStateSnapshot()
        #expect(before == after, "the user's files, index, refs, HEAD and stash are untouched")
        #expect(!snapshot.isClean)
        #expect(snapshot.skippedSecrets == [".env", "certs/server.pem"])

        // What `git add -A` would stage (minus secrets) is exactly the snapshot's tree.
        let files = try repo.git("ls-tree", "-r", "--name-only", snapshot.commit.hex)
            .split(separator: "\n").map(String.init)
        #expect(files.contains("dir with space/ünïcode.txt"))
        #expect(files.contains("renamed.txt") && !files.contains("rename-me.txt"))
        #expect(!files.contains("delete.txt") && !files.contains("debug.log") && !files.contains(".env"))
        #expect(try repo.git("show", "\(snapshot.commit.hex):stage-then-edit.txt") == "v3\n")
        #expect(try repo.git("show", "\(snapshot.commit.hex):modify.txt") == "new\n")
        let modes = try repo.git("ls-tree", "-r", snapshot.commit.hex)
        #expect(modes.contains("100755 blob") && modes.contains("120000 blob"))
        #expect(try repo.git("rev-parse", "\(snapshot.commit.hex)^") == (try repo.git("rev-parse", "HEAD")))
        #expect(try repo.git("log", "-1", "--format=%(trailers:key=Mg-Session,valueonly)", snapshot.commit.hex)
            .trimmingCharacters(in: .whitespacesAndNewlines) == "s1")
        try repo.fsck()
    }

    @Test func unbornRepositoryStartsFromItsFiles() throws {
        let repo = try TemporaryRepository()
        let emptySnapshot = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s")
        #expect(emptySnapshot.tree == ObjectID.emptyTree)
        #expect(emptySnapshot.headCommit == nil)
        try repo.write("first.txt", "hello\n")
        let snapshot = try BaseSnapshot.capture(repositoryPath: repo.path, session: "s")
        #expect(try repo.git("ls-tree", "--name-only", snapshot.commit.hex) == "first.txt\n")
        #expect(try repo.git("status", "--porcelain") == "?? first.txt\n")
    }
}
