import Foundation
import Testing
@testable import CodingAgent

@Suite struct WorkspaceRootTests {
    /// Builds a workspace with links that lead out in every way we know of.
    private func makeWorkspace() throws -> TemporaryWorkspace {
        let ws = try TemporaryWorkspace()
        try ws.write("src/main.swift", "print(1)\n")
        try ws.write(".git/config", "[core]\n")
        try ws.write("nested/.git", "gitdir: /somewhere/else\n")
        try ws.write(".massgen/config.yaml", "agents: []\n")
        try Data("secret".utf8).write(to: ws.outside.appendingPathComponent("secret.txt"))
        try ws.symlink("out-abs", to: ws.outside.path)
        try ws.symlink("out-rel", to: "../outside")
        try ws.symlink("src/deep-out", to: "../../outside/secret.txt")
        try ws.symlink("dangling-out", to: ws.outside.path + "/not-yet-there.txt")
        try ws.symlink("dangling-rel-out", to: "../../nowhere/new.txt")
        try ws.symlink("etc", to: "/etc")
        try ws.symlink("to-git", to: ".git")
        try ws.symlink("to-git-config", to: ".git/config")
        try ws.symlink("to-massgen", to: ".massgen")
        try ws.symlink("chain1", to: "chain2")
        try ws.symlink("chain2", to: "out-rel")
        try ws.symlink("loop-a", to: "loop-b")
        try ws.symlink("loop-b", to: "loop-a")
        try ws.symlink("src/up", to: "..")
        try ws.symlink("inside-link", to: "src/main.swift")
        try ws.symlink("inside-dir", to: "src")
        try ws.symlink("dangling-inside", to: "src/new-file.swift")
        return ws
    }

    static let refused: [String] = [
        "/etc/passwd", "/", "~/x", "..", "../", "../outside/secret.txt", "src/../../outside", "./../x", "src/../..",
        "a/b/../../../x", "out-abs", "out-abs/secret.txt", "out-rel/secret.txt", "src/deep-out", "dangling-out",
        "dangling-rel-out", "etc/passwd", "etc", "chain1/secret.txt", "loop-a", "src/up/../outside", ".git",
        ".git/config", "./.git/HEAD", "src/../.git/config", ".GIT/config", "nested/.git", ".massgen",
        ".massgen/config.yaml", "to-git/config", "to-git-config", "to-massgen/config.yaml", "src/\u{0}x",
    ]

    @Test(arguments: refused)
    func refusesEscapingPaths(_ path: String) throws {
        let ws = try makeWorkspace()
        #expect(throws: WorkspacePathError.self) { try ws.root.resolve(path) }
    }

    static let accepted: [(String, String)] = [
        ("src/main.swift", "src/main.swift"), ("./src/main.swift", "src/main.swift"), ("src//main.swift", "src/main.swift"),
        ("src/../src/main.swift", "src/main.swift"), ("", ""), (".", ""), ("new/dir/file.txt", "new/dir/file.txt"),
        ("inside-link", "src/main.swift"), ("inside-dir/main.swift", "src/main.swift"),
        ("dangling-inside", "src/new-file.swift"), ("src/up/src/main.swift", "src/main.swift"), (".gitignore", ".gitignore"),
        ("src/.github/workflow.yml", "src/.github/workflow.yml"),
    ]

    @Test(arguments: accepted)
    func acceptsPathsInside(_ path: String, _ expected: String) throws {
        let ws = try makeWorkspace()
        let resolved = try ws.root.resolve(path)
        #expect(resolved.relative == expected)
        #expect(resolved.absolute == (expected.isEmpty ? ws.root.path : ws.root.path + "/" + expected))
    }

    @Test func refusalsExplainHowToFixThePath() throws {
        let ws = try makeWorkspace()
        let error = try #require(throws: WorkspacePathError.self) { try ws.root.resolve("../outside/secret.txt") }
        #expect(error.description.contains("outside your workspace; use paths relative to the workspace root"))
        let metadata = try #require(throws: WorkspacePathError.self) { try ws.root.resolve(".git/config") }
        #expect(metadata.description.contains(".git"))
    }

    @Test func toolsReportRefusalsToTheModel() async throws {
        let ws = try makeWorkspace()
        for (tool, json) in [
            (ReadFileTool() as any AgentTool, #"{"path": "out-abs/secret.txt"}"#),
            (WriteFileTool(), #"{"path": "dangling-out", "content": "x"}"#),
            (EditFileTool(), #"{"path": "../outside/secret.txt", "old_string": "secret", "new_string": "x"}"#),
            (ListFilesTool(), #"{"path": "etc"}"#),
            (SearchTool(), #"{"pattern": "secret", "path": "out-rel"}"#),
            (ViewMediaTool(), #"{"path": "/etc/passwd"}"#),
        ] {
            let outcome = try await ws.call(tool, json)
            #expect(outcome.isError, "\(tool.name) accepted \(json)")
            #expect(outcome.text.contains("outside your workspace"), "\(tool.name): \(outcome.text)")
        }
        #expect(try String(contentsOf: ws.outside.appendingPathComponent("secret.txt"), encoding: .utf8) == "secret")
        #expect(!FileManager.default.fileExists(atPath: ws.outside.path + "/not-yet-there.txt"))
    }
}
