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
