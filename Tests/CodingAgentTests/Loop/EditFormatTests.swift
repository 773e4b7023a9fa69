import Foundation
import Testing

@testable import CodingAgent

/// Models that only write code blocks: the blocks are read as edits, placed in the right file,
/// and a reply of edits is submitted as an answer.
@Suite struct EditFormatTests {
    static let stats = """
        def average(numbers):
            \"\"\"Mean of numbers.\"\"\"
            return sum(numbers) / len(numbers)


        def spread(numbers):
            return max(numbers) - min(numbers)

        """

    func files(_ contents: [String: String]) -> EditBlockParser.Files { EditBlockParser.Files(contents: contents) }

    @Test func aNamedWholeFileBlockBecomesWriteFile() throws {
        let reply = "The division is wrong.\n\nstats.py\n```python\nprint(1)\n```\n"
        let result = try #require(EditBlockParser.parse(reply, files: files(["stats.py": "print(0)\n"])))
        #expect(result.edits == [EditBlockParser.write("stats.py", "print(1)\n")])
        #expect(result.prose == "The division is wrong.")
        // Names in the fence's info string, in bold, with a "File:" label.
        for variant in ["```python stats.py\nprint(1)\n```", "**stats.py**\n```\nprint(1)\n```", "File: `stats.py`\n```py\nprint(1)\n```"] {
            #expect(EditBlockParser.parse(variant, files: files(["stats.py": "print(0)\n"]))?.edits.first?.arguments["path"] == "stats.py")
        }
    }

    @Test func anUnnamedBlockGoesToTheFileItSharesMostLinesWith() throws {
        let fixed = Self.stats.replacingOccurrences(of: "return sum(numbers) / len(numbers)", with: "return sum(numbers) / len(numbers) if numbers else 0.0")
        let reply = "Here is the fixed code:\n```python\n\(fixed)```"
        let result = try #require(
            EditBlockParser.parse(reply, files: files(["stats.py": Self.stats, "test_stats.py": "import unittest\n"])))
        #expect(result.edits.count == 1)
        #expect(result.edits[0].arguments["path"] == "stats.py")
        #expect(result.edits[0].arguments["content"]?.stringValue == fixed)
        // Shell sessions and JSON are never file content; a block matching no file is prose.
        #expect(EditBlockParser.parse("```bash\npython3 -m unittest\n```", files: files(["stats.py": Self.stats])) == nil)
        #expect(EditBlockParser.parse("```python\nx = 1\ny = 2\n```", files: files(["stats.py": Self.stats])) == nil)
    }

    @Test func aSnippetReplacesTheFunctionItStartsWith() throws {
        let reply = """
            stats.py
            ```python
            def average(numbers):
                if not numbers:
                    return 0.0
                return sum(numbers) / len(numbers)
            ```
            """
        let result = try #require(EditBlockParser.parse(reply, files: files(["stats.py": Self.stats])))
        let content = try #require(result.edits.first?.arguments["content"]?.stringValue)
        #expect(
            content == """
                def average(numbers):
                    if not numbers:
                        return 0.0
                    return sum(numbers) / len(numbers)


                def spread(numbers):
                    return max(numbers) - min(numbers)

                """)
    }

    @Test func aMethodSnippetIsReindentedAndNewImportsGoOnTop() throws {
        let file = "class Box:\n    def area(self):\n        return self.w + self.h\n\n    def name(self):\n        return 'box'\n"
        let snippet = "import math\n\ndef area(self):\n    return self.w * self.h\n"
        let spliced = try #require(CodeSplicer.splice(snippet.components(separatedBy: "\n"), into: file.components(separatedBy: "\n")))
        #expect(
            spliced
                == "import math\nclass Box:\n    def area(self):\n        return self.w * self.h\n\n    def name(self):\n        return 'box'\n")
        // A brace function ends at its closing brace.
        let c = "int f(void) {\n    return 1;\n}\n\nint g(void) {\n    return 2;\n}\n"
        let fixed = try #require(
            CodeSplicer.splice(["int f(void) {", "    return 3;", "}"], into: c.components(separatedBy: "\n")))
        #expect(fixed == "int f(void) {\n    return 3;\n}\n\nint g(void) {\n    return 2;\n}\n")
        #expect(CodeSplicer.splice(["def other():", "    pass"], into: file.components(separatedBy: "\n")) == nil)
    }

    @Test func searchReplaceBlocksBecomeEdits() throws {
        let reply = """
            stats.py
            <<<<<<< SEARCH
                return sum(numbers) / len(numbers)
            =======
                return sum(numbers) / len(numbers) if numbers else 0.0
            >>>>>>> REPLACE

            ```python
            new_module.py
            <<<<<<< SEARCH
            =======
            VALUE = 1
            >>>>>>> REPLACE
            ```
            """
        let result = try #require(EditBlockParser.parse(reply, files: files(["stats.py": Self.stats])))
        #expect(result.edits.map(\.tool) == ["edit_file", "write_file"])
        #expect(result.edits[0].arguments["old_string"] == "    return sum(numbers) / len(numbers)")
        #expect(result.edits[1].arguments == ["path": "new_module.py", "content": "VALUE = 1\n"])
        let unnamed = try #require(EditBlockParser.parse("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE", files: files([:])))
        #expect(unnamed.edits.isEmpty && unnamed.problems.count == 1)
    }

    @Test func aReplyOfCodeBlocksIsAppliedAndSubmittedAsTheAnswer() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("stats.py", Self.stats)
        let reply = "The mean divides by zero for an empty list.\n\nstats.py\n```python\ndef average(numbers):\n    if not numbers:\n        return 0.0\n    return sum(numbers) / len(numbers)\n```"
        var (loop, backend) = makeLoop([turn(reply)], in: ws)
        loop.configuration.toolMode = .text
        loop.configuration.editFormat = .whole
        loop.configuration.answerSubmission = AnswerSubmission(toolName: "new_answer", argument: "content")
        let result = await loop.run(messages: [.text(.user, "average([]) crashes")])
        #expect(result.outcome == .terminal(toolName: "new_answer", payload: "The mean divides by zero for an empty list."))
        #expect(try ws.read("stats.py").contains("if not numbers:\n        return 0.0\n"))
        #expect(try ws.read("stats.py").contains("def spread(numbers):"))
        // The model saw the files and how to write edits before its first reply.
        let first = backend.receivedRequests[0]
        #expect(first.messages.last?.text.hasPrefix("# Current files of your worktree\n\nstats.py\n```python\ndef average") == true)
        let system = try #require(first.messages.first?.text)
        #expect(system.contains("# Changing files\n\nTo change a file, write its complete new content"))
        #expect(!system.contains("- write_file(") && !system.contains("- edit_file(") && system.contains("- read_file("))
    }

    /// An agent that can no longer submit (its answer limit) gets no edit format: its code
    /// blocks are not applied, and it is told what it can still do.
    @Test func noEditsWhileTheAnswerToolIsHidden() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("stats.py", Self.stats)
        var (loop, backend) = makeLoop([turn("stats.py\n```python\nprint(1)\n```")], in: ws)
        loop.configuration.toolMode = .text
        loop.configuration.editFormat = .whole
        loop.configuration.answerSubmission = AnswerSubmission(toolName: "new_answer", argument: "content")
        loop.configuration.hiddenTools = { ["new_answer", "write_file", "edit_file"] }
        _ = await loop.run(messages: [.text(.user, "vote now")])
        #expect(try ws.read("stats.py") == Self.stats)
        let system = try #require(backend.receivedRequests[0].messages.first?.text)
        #expect(!system.contains("# Changing files") && !system.contains("- new_answer("))
    }

    /// Recorded from the 1.5B on the C case: `edit_file` with a `content` holding one function.
    /// With an edit format it is read as a snippet of vowels.c, so the rest of the file stays.
    @Test func aFunctionPassedAsContentReplacesThatFunctionOnly() async throws {
        let ws = try TemporaryWorkspace()
        let file = """
            #include "vowels.h"

            /* Number of vowels (a, e, i, o, u) in text. */
            int count_vowels(const char *text) {
                int count = 0;
                for (const char *p = text; *p; p++) {
                    if (*p == 'a') count++;
                }
                return count;
            }

            """
        try ws.write("vowels.c", file)
        let content = "/* Number of vowels (a, e, i, o, u) in text. */\nint count_vowels(const char *text) {\n    return 5;\n}"
        let reply = "```json\n{\"name\": \"edit_file\", \"arguments\": {\"content\": \"\(content)\", \"path\": \"vowels.c\"}}\n```"
        var (loop, _) = makeLoop([turn(reply), turn(calls: [("new_answer", ["content": "done"])])], in: ws)
        loop.configuration.toolMode = .text
        loop.configuration.editFormat = .whole
        _ = await loop.run(messages: [.text(.user, "count upper-case vowels")])
        #expect(
            try ws.read("vowels.c")
                == "#include \"vowels.h\"\n\n/* Number of vowels (a, e, i, o, u) in text. */\nint count_vowels(const char *text) {\n    return 5;\n}\n")
    }
}
