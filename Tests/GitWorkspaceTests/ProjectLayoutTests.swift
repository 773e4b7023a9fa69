import Foundation
import GitWorkspace
import MGTestSupport
import Testing

@Suite struct ProjectLayoutTests {
    @Test func prepareIsIdempotentAndIgnoresItself() throws {
        let repo = try TemporaryRepository()
        let layout = ProjectLayout(repositoryRoot: repo.path)
        let first = try layout.prepare()
        #expect(first.createdFiles.sorted() == EmbeddedTemplate.files.keys.sorted())
        try "user: edited\n".write(toFile: layout.configFile, atomically: true, encoding: .utf8)
        let second = try layout.prepare()
        #expect(second.createdFiles.isEmpty)
        #expect(try String(contentsOfFile: layout.configFile, encoding: .utf8) == "user: edited\n")
        #expect(try repo.git("status", "--porcelain", "--untracked-files=all") == "")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.gitignore"), "the user's .gitignore is untouched")
    }

    @Test func embeddedTemplateMatchesTheFilesOnDisk() throws {
        // The package root is three levels above this file (Tests/GitWorkspaceTests/x.swift).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let folder = root + "/.massgen-template"
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: folder).filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
        }
        #expect(onDisk.sorted() == EmbeddedTemplate.files.keys.sorted(), "run scripts/embed-resources")
        for name in onDisk {
            #expect(try String(contentsOfFile: folder + "/" + name, encoding: .utf8) == EmbeddedTemplate.files[name],
                    "\(name) is stale: run scripts/embed-resources")
        }
    }

    @Test func recognisesAMassGenLayoutWithoutTouchingIt() throws {
        let repo = try TemporaryRepository()
        for path in ["snapshots/agent_a/x.py", "temp_workspaces/t/y", "massgen_logs/log_1/z.log",
                     "sessions/session_20250101/turn_1/answer.txt", "workspaces/workspace1/file.py"] {
            try repo.write(".massgen/" + path, "legacy\n")
        }
        let report = try ProjectLayout(repositoryRoot: repo.path).prepare()
        let legacy = try #require(report.legacyLayout)
        #expect(legacy.markers == ["snapshots", "temp_workspaces", "massgen_logs", "workspaces/workspace1",
                                   "sessions/session_20250101/turn_1"])
        #expect(repo.read(".massgen/snapshots/agent_a/x.py") == Data("legacy\n".utf8))
    }

    @Test func secondLockHolderIsRefusedWithTheHoldersName() throws {
        let repo = try TemporaryRepository()
        let layout = ProjectLayout(repositoryRoot: repo.path)
        let held = try RepositoryLock(layout: layout, purpose: "mg fix")
        #expect {
            _ = try RepositoryLock(layout: layout, purpose: "mg fix")
        } throws: { error in
            guard case GitWorkspaceError.repositoryLocked(_, let holder) = error else { return false }
            return holder.contains("pid \(getpid()): mg fix")
        }
        withExtendedLifetime(held) {}
    }

    @Test func secretLookingNames() {
        for secret in [".env", ".env.local", "config/.env.production", "server.pem", "tls/private.key", "id_rsa", "id_ed25519.pub"] {
            #expect(SecretFilePolicy.looksSecret(secret), "\(secret)")
        }
        for ordinary in ["environment.swift", "keys.txt", "src/env.ts", "README.md", "monkey.swift"] {
            #expect(!SecretFilePolicy.looksSecret(ordinary), "\(ordinary)")
        }
    }
}
