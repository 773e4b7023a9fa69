import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// `FileMode` is the one type for git modes: it reads what git writes, and stored operation
/// records (JSON in the session store) keep the number they always had.
@Suite struct FileModeTests {
    @Test func modesOfARealTreeMatchGitLsTree() throws {
        let repo = try TemporaryRepository()
        try repo.write("plain.txt", "text\n")
        try repo.write("tool.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.path + "/tool.sh")
        try repo.write("folder/inner.txt", "inner\n")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link", withDestinationPath: "plain.txt")
        let commit = try repo.commitAll("modes")
        let repository = try Repository.open(at: repo.path)
        let tree = try repository.tree(ofCommit: try #require(ObjectID(hex: commit)))
        for line in try repo.git("ls-tree", "HEAD").split(separator: "\n") {
            let fields = line.split(separator: "\t")[0].split(separator: " ")
            let path = String(line.split(separator: "\t")[1])
            let entry = try #require(try repository.entry(at: path, inTree: tree))
            #expect(entry.mode.description == String(fields[0]), "\(path)")
            #expect(entry.id.hex == String(fields[2]), "\(path)")
        }
        #expect(try repository.entry(at: "plain.txt", inTree: tree)?.mode == .regular)
        #expect(try repository.entry(at: "tool.sh", inTree: tree)?.mode.isExecutable == true)
        #expect(try repository.entry(at: "link", inTree: tree)?.mode.isSymlink == true)
        #expect(try repository.entry(at: "folder", inTree: tree)?.mode.isDirectory == true)
    }

    @Test func kindsAndTypeChanges() {
        #expect(FileMode.regular.isRegularFile && FileMode.executable.isRegularFile)
        #expect(!FileMode.symlink.isRegularFile && !FileMode.gitlink.isRegularFile && !FileMode.directory.isRegularFile)
        #expect(FileMode.regular.hasSameType(as: .executable))
        #expect(!FileMode.regular.hasSameType(as: .symlink) && !FileMode.symlink.hasSameType(as: .gitlink))
        #expect(FileMode.file(executable: true) == .executable && FileMode.file(executable: false) == .regular)
        #expect(FileMode.directory.description == "040000" && FileMode.gitlink.description == "160000")
    }

    @Test func storedEntriesKeepTheirNumericMode() throws {
        let id = try #require(ObjectID(hex: "0123456789abcdef0123456789abcdef01234567"))
        let encoded = try JSONEncoder().encode(TreeEntry(id: id, mode: .executable))
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        #expect(object["mode"] as? Int == 0o100755)
        // A record written before modes were typed.
        let old = Data(#"{"id":{"hex":"0123456789abcdef0123456789abcdef01234567"},"mode":33188}"#.utf8)
        #expect(try JSONDecoder().decode(TreeEntry.self, from: old) == TreeEntry(id: id, mode: .regular))
    }
}
