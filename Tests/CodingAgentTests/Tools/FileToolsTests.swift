import Foundation
import Testing
@testable import CodingAgent

@Suite struct FileToolsTests {
    @Test func readFilePagesLargeFilesWithLineNumbers() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("big.txt", (1...1000).map { "line \($0)" }.joined(separator: "\n") + "\n")
        let first = try await ws.call(ReadFileTool(), #"{"path": "big.txt"}"#)
        #expect(!first.isError)
        #expect(first.text.contains("     1\tline 1\n"))
        #expect(first.text.contains("   400\tline 400\n"))
        #expect(!first.text.contains("line 401"))
        #expect(first.text.contains("offset=401"))
        let last = try await ws.call(ReadFileTool(), #"{"path": "big.txt", "offset": "990", "limit": 50}"#)
        #expect(last.text.contains("   990\tline 990"))
        #expect(last.text.contains("  1000\tline 1000"))
        #expect(last.text.contains("end of big.txt: 1000 lines"))
        let beyond = try await ws.call(ReadFileTool(), #"{"path": "big.txt", "offset": 2000}"#)
        #expect(beyond.isError)
        #expect(beyond.text.contains("only 1000 lines"))
    }

    @Test func readFileStopsAPageAtTheByteBudget() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("wide.txt", (1...100).map { _ in String(repeating: "x", count: 1000) }.joined(separator: "\n"))
        let page = try await ws.call(ReadFileTool(maxPageBytes: 10_000), #"{"path": "wide.txt"}"#)
        #expect(page.text.contains("offset=10"))
        #expect(page.text.utf8.count < 12_000)
    }

    @Test func readFileRefusesBinaryAndMissingFilesWithHints() async throws {
        let ws = try TemporaryWorkspace()
        try ws.writeBytes("logo.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        let binary = try await ws.call(ReadFileTool(), #"{"path": "logo.png"}"#)
        #expect(binary.isError)
        #expect(binary.text.contains("image/png") && binary.text.contains("view_media"))
        let missing = try await ws.call(ReadFileTool(), #"{"path": "nope.txt"}"#)
        #expect(missing.isError && missing.text.contains("list_files"))
        let noPath = try await ws.call(ReadFileTool(), #"{"offset": 3}"#)
        #expect(noPath.isError && noPath.text.contains("`path`"))
        let wrongType = try await ws.call(ReadFileTool(), #"{"path": "a", "limit": "many"}"#)
        #expect(wrongType.isError && wrongType.text.contains("`limit`"))
    }

    @Test func writeFileCreatesParentsAndKeepsTheExecutableBit() async throws {
        let ws = try TemporaryWorkspace()
        let created = try await ws.call(WriteFileTool(), #"{"path": "a/b/c.txt", "content": "hello\nworld\n"}"#)
        #expect(!created.isError && created.text.hasPrefix("Created a/b/c.txt"))
        #expect(try ws.read("a/b/c.txt") == "hello\nworld\n")
        let script = try ws.write("run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let overwritten = try await ws.call(WriteFileTool(), ##"{"path": "run.sh", "content": "#!/bin/sh\necho hi\n"}"##)
        #expect(overwritten.text.hasPrefix("Overwrote"))
        let mode = try FileManager.default.attributesOfItem(atPath: script.path)[.posixPermissions] as? Int
        #expect(mode == 0o755)
        let directory = try await ws.call(WriteFileTool(), #"{"path": "a/b", "content": "x"}"#)
        #expect(directory.isError)
        let missingContent = try await ws.call(WriteFileTool(), #"{"path": "x.txt"}"#)
        #expect(missingContent.isError && missingContent.text.contains("`content`"))
    }

    @Test func editFileRequiresAUniqueMatch() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("f.swift", "let a = 1\nlet b = 2\nlet a2 = 1\n")
        let ambiguous = try await ws.call(EditFileTool(), #"{"path": "f.swift", "old_string": "= 1", "new_string": "= 3"}"#)
        #expect(ambiguous.isError)
        #expect(ambiguous.text.contains("occurs 2 times") && ambiguous.text.contains("lines 1, 3"))
        let absent = try await ws.call(EditFileTool(), #"{"path": "f.swift", "old_string": "let c", "new_string": "x"}"#)
        #expect(absent.isError && absent.text.contains("0 matches") && absent.text.contains("read_file"))
        #expect(try ws.read("f.swift") == "let a = 1\nlet b = 2\nlet a2 = 1\n")
        let done = try await ws.call(EditFileTool(), #"{"path": "f.swift", "old_string": "let b = 2\n", "new_string": "let b = 20\nlet c = 3\n"}"#)
        #expect(!done.isError && done.text.contains("line 2"))
        #expect(try ws.read("f.swift") == "let a = 1\nlet b = 20\nlet c = 3\nlet a2 = 1\n")
    }

    @Test func editFileMatchesCRLFBytesExactly() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("w.txt", "one\r\ntwo\r\n")
        let outcome = try await ws.call(EditFileTool(), #"{"path": "w.txt", "old_string": "two\r\n", "new_string": "2\r\n"}"#)
        #expect(!outcome.isError)
        #expect(try ws.read("w.txt") == "one\r\n2\r\n")
    }

    @Test func listFilesShowsATreeWithoutMetadataAndCaps() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("src/a.swift", "")
        try ws.write("src/lib/b.swift", "")
        try ws.write("README.md", "")
        try ws.write(".git/HEAD", "")
        try ws.write(".massgen/x", "")
        try ws.symlink("link", to: "/etc")
        let tree = try await ws.call(ListFilesTool(), "{}")
        #expect(tree.text == "Workspace root:\nREADME.md\nlink -> /etc\nsrc/\n  a.swift\n  lib/\n    b.swift")
        let sub = try await ws.call(ListFilesTool(), #"{"path": "src/lib"}"#)
        #expect(sub.text == "src/lib/:\nb.swift")
        for index in 0..<30 { try ws.write("many/f\(index).txt", "") }
        let capped = try await ws.call(ListFilesTool(maxEntries: 10), #"{"path": "many"}"#)
        #expect(capped.text.contains("… 20 more entries not shown"))
    }

    @Test func ignoreRulesHideFilesFromListingAndSearch() async throws {
        struct BuildIgnored: IgnoreRules {
            func isIgnored(relativePath: String, isDirectory: Bool) -> Bool { relativePath.hasPrefix("build") }
        }
        let ws = try TemporaryWorkspace()
        try ws.write("build/out.txt", "needle\n")
        try ws.write("src/x.txt", "needle\n")
        let context = ToolContext(workspace: ws.root, ignoreRules: BuildIgnored())
        let tree = await ListFilesTool().run(arguments: .object([:]), context: context)
        #expect(!tree.text.contains("build"))
        let found = await SearchTool().run(arguments: .object(["pattern": .string("needle")]), context: context)
        #expect(found.text == "src/x.txt:1: needle")
    }

    @Test func searchFindsRegexMatchesWithLineNumbers() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.swift", "import Foundation\nfunc parse() {}\n\nfunc   parseAll() {}\n")
        try ws.write("sub/b.swift", "// nothing\nlet x = parse()\n")
        try ws.writeBytes("bin.dat", [0, 1, 2] + Array("func parse".utf8))
        let found = try await ws.call(SearchTool(), #"{"pattern": "^func\\s+parse"}"#)
        #expect(found.text == "a.swift:2: func parse() {}\na.swift:4: func   parseAll() {}")
        let narrowed = try await ws.call(SearchTool(), #"{"pattern": "parse", "path": "sub"}"#)
        #expect(narrowed.text == "sub/b.swift:2: let x = parse()")
        let none = try await ws.call(SearchTool(), #"{"pattern": "zebra"}"#)
        #expect(none.text.hasPrefix("No matches"))
        let invalid = try await ws.call(SearchTool(), #"{"pattern": "func("}"#)
        #expect(invalid.isError && invalid.text.contains("not a valid regular expression"))
        for index in 0..<50 { try ws.write("many/\(index).txt", "hit\nhit\n") }
        let capped = try await ws.call(SearchTool(maxMatches: 25), #"{"pattern": "hit", "path": "many"}"#)
        #expect(capped.text.split(separator: "\n").filter { $0.hasSuffix(": hit") }.count == 25)
        #expect(capped.text.contains("results cut at 25"))
    }
}

@Suite struct GitIgnoreIntegrationTests {
    @Test func gitIgnoredFilesAreSkippedBySearchAndListing() async throws {
        let ws = try TemporaryWorkspace()
        try RunCommandToolTests.git(["init", "-q"], in: ws.url)
        try ws.write(".gitignore", "build/\n*.log\n")
        try ws.write("build/out.txt", "needle\n")
        try ws.write("debug.log", "needle\n")
        try ws.write("src/a.txt", "needle\n")
        let context = ToolContext.gitAware(workspace: ws.root)
        let found = await SearchTool().run(arguments: ["pattern": "needle"], context: context)
        #expect(found.text == "src/a.txt:1: needle")
        let tree = await ListFilesTool().run(arguments: [:], context: context)
        #expect(tree.text == "Workspace root:\n.gitignore\nsrc/\n  a.txt")
    }
}
