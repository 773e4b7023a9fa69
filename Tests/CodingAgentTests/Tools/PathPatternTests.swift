import CodingAgent
import Foundation
import Testing

@Suite struct PathPatternTests {
    private func matches(_ pattern: String, _ path: String, directory: Bool = false) -> Bool {
        PathPattern(pattern)?.matches(path, isDirectory: directory) ?? false
    }

    @Test func gitignoreSemantics() {
        #expect(matches("*.py", "a/b/c.py"))
        #expect(matches(".env*", ".env") && matches(".env*", "config/.env.local"))
        #expect(matches("/build", "build/x.o") && !matches("/build", "src/build/x.o"))
        #expect(matches("build", "src/build/x.o"))
        #expect(matches("config/", "config/prod.yaml") && !matches("config/", "config"))
        #expect(matches("config/", "config", directory: true))
        #expect(matches("docs/*.md", "docs/a.md") && !matches("docs/*.md", "docs/sub/a.md"))
        #expect(matches("docs/**/*.md", "docs/sub/deep/a.md") && matches("docs/**/*.md", "docs/a.md"))
        #expect(matches("**/fixtures", "a/b/fixtures/x.json"))
        #expect(matches("src/**", "src/a/b.swift") && !matches("src/**", "src"))
        #expect(matches("test_[ab].py", "test_a.py") && !matches("test_[ab].py", "test_c.py"))
        #expect(PathPattern("  ") == nil && PathPattern("/") == nil)
    }

    @Test func protectedPathsExplainWhy() {
        let protection = ProtectedPaths(configured: ["config/"], testFiles: ["test_calc.py"])
        #expect(protection.reason(for: "config/prod.yaml")?.contains("`config/`") == true)
        #expect(protection.reason(for: ".env")?.contains("`.env*`") == true)
        #expect(protection.reason(for: "test_calc.py")?.contains("existing test file") == true)
        #expect(protection.reason(for: "test_new.py") == nil)
        #expect(protection.reason(for: "calc.py") == nil)
    }

    @Test func writeAndEditRefuseProtectedPaths() async throws {
        let folder = NSTemporaryDirectory() + "mg-protect-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/config", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a = 1\n".write(toFile: folder + "/config/prod.yaml", atomically: true, encoding: .utf8)
        try "def test(): pass\n".write(toFile: folder + "/test_calc.py", atomically: true, encoding: .utf8)
        let context = ToolContext(
            workspace: try WorkspaceRoot(folder),
            protection: ProtectedPaths(configured: ["config/"], testFiles: ["test_calc.py"]))
        let write = await WriteFileTool().run(
            arguments: .object(["path": .string("config/prod.yaml"), "content": .string("a = 2\n")]), context: context)
        #expect(write.isError && write.text.contains("write_file refused: config/prod.yaml is protected"))
        let edit = await EditFileTool().run(
            arguments: .object([
                "path": .string("test_calc.py"), "old_string": .string("pass"), "new_string": .string("assert True"),
            ]), context: context)
        #expect(edit.isError && edit.text.contains("existing test file"))
        #expect(try String(contentsOfFile: folder + "/config/prod.yaml", encoding: .utf8) == "a = 1\n")
        #expect(try String(contentsOfFile: folder + "/test_calc.py", encoding: .utf8) == "def test(): pass\n")
        let newTest = await WriteFileTool().run(
            arguments: .object(["path": .string("test_new.py"), "content": .string("def test_x(): pass\n")]),
            context: context)
        #expect(!newTest.isError)
    }
}
