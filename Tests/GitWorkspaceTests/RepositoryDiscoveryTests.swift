import Foundation
import GitWorkspace
import MGTestSupport
import Testing

@Suite struct RepositoryDiscoveryTests {
    @Test func findsTheRepositoryFromASubfolder() throws {
        let repo = try TemporaryRepository()
        try repo.write("a/b c/ü.txt", "x")
        try repo.commitAll()
        let found = try Repository.discover(from: repo.path + "/a/b c", honourEnvironment: false)
        #expect(found.workingDirectory == repo.path)
        #expect(try found.head().targetRef == "refs/heads/main")
    }

    @Test func reportsANonRepository() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-norepo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: GitWorkspaceError.notARepository(path: dir)) {
            _ = try Repository.discover(from: dir, honourEnvironment: false)
        }
    }

    @Test func refusesABareRepository() throws {
        let bare = try TemporaryRepository(bare: true)
        #expect {
            _ = try Repository.discover(from: bare.path, honourEnvironment: false)
        } throws: { error in
            guard case GitWorkspaceError.bareRepository = error else { return false }
            return "\(error)".contains("bare")
        }
    }

    @Test func unbornHeadIsReportedWithItsBranch() throws {
        let repo = try TemporaryRepository()
        let found = try Repository.discover(from: repo.path, honourEnvironment: false)
        #expect(try found.head() == .unborn("refs/heads/main"))
    }

    @Test func detachedHeadTargetsHEAD() throws {
        let repo = try TemporaryRepository()
        try repo.write("f", "1")
        let first = try repo.commitAll("one")
        try repo.write("f", "2")
        try repo.commitAll("two")
        try repo.git("checkout", "-q", "--detach", first)
        let head = try Repository.discover(from: repo.path, honourEnvironment: false).head()
        #expect(head == .detached(try #require(ObjectID(hex: first))))
        #expect(head.targetRef == "HEAD")
    }

    @Test func findsALinkedWorktree() throws {
        let repo = try TemporaryRepository()
        try repo.write("f", "1")
        try repo.commitAll()
        let linked = repo.path + "-linked"
        try repo.git("worktree", "add", "-q", "-b", "side", linked)
        defer { try? FileManager.default.removeItem(atPath: linked) }
        let found = try Repository.discover(from: linked, honourEnvironment: false)
        #expect(found.isLinkedWorktree)
        #expect(found.workingDirectory == linked)
        #expect(found.commonDirectory == repo.path + "/.git")
    }
}

@Suite struct RepositoryOwnershipTests {
    @Test func aRepositoryOwnedByAnotherUserGetsAReadableError() throws {
        guard getuid() == 0 else {
            // Only root can give a folder away; as another user, use a folder root owns.
            #expect(throws: GitWorkspaceError.self) { _ = try Repository.discover(from: "/root", honourEnvironment: false) }
            return
        }
        let repo = try TemporaryRepository()
        try repo.write("f", "x")
        try repo.commitAll()
        #expect(chown(repo.path, 4242, 4242) == 0 && chown(repo.path + "/.git", 4242, 4242) == 0)
        defer { _ = chown(repo.path, 0, 0); _ = chown(repo.path + "/.git", 0, 0) }
        #expect {
            _ = try Repository.discover(from: repo.path, honourEnvironment: false)
        } throws: { error in
            guard case GitWorkspaceError.notOwnedByCurrentUser = error else { return false }
            let text = "\(error)"
            return text.contains("owned by another user") && text.contains("safe.directory")
        }
    }
}

@Suite struct RepositoryEnvironmentTests {
    /// The only test that sets GIT_DIR in-process; every other test opts out of the environment.
    @Test func honoursGitDirAndGitWorkTree() throws {
        let repo = try TemporaryRepository()
        try repo.write("f", "x")
        try repo.commitAll()
        setenv("GIT_DIR", repo.path + "/.git", 1)
        setenv("GIT_WORK_TREE", repo.path, 1)
        defer {
            unsetenv("GIT_DIR")
            unsetenv("GIT_WORK_TREE")
        }
        let found = try Repository.discover(from: "/")
        #expect(found.workingDirectory == repo.path)
        #expect(found.gitDirectory == repo.path + "/.git")
    }
}
