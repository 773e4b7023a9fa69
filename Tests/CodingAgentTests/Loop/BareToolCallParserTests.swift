import Testing
@testable import CodingAgent

@Suite struct BareToolCallParserTests {
    let offered: Set<String> = ["read_file", "write_file", "new_answer"]

    @Test func plainObjectWithArguments() throws {
        let text = #"{"name": "read_file", "arguments": {"path": "src/main.py"}}"#
        let parsed = try #require(BareToolCallParser.parse(text, offered: offered))
        #expect(parsed.calls == [.init(name: "read_file", arguments: #"{"path":"src/main.py"}"#)])
        #expect(parsed.remainingText.isEmpty)
    }

    @Test func llamaStyleParametersInAFenceWithProse() throws {
        let text = """
            I'll look at the file first.

            ```json
            {"name": "read_file", "parameters": {"path": "README.md", "offset": 10}}
            ```
            """
        let parsed = try #require(BareToolCallParser.parse(text, offered: offered))
        #expect(parsed.calls == [.init(name: "read_file", arguments: #"{"offset":10,"path":"README.md"}"#)])
        #expect(parsed.remainingText == "I'll look at the file first.")
    }

    @Test func qwenToolCallTagsWithSeveralCalls() throws {
        let text = """
            <tool_call>
            {"name": "write_file", "arguments": {"path": "a.txt", "content": "x = {1: [2]}\\n\\"quoted\\""}}
            </tool_call>
            <tool_call>
            {"name": "new_answer", "arguments": {"content": "done"}}
            </tool_call>
            """
        let parsed = try #require(BareToolCallParser.parse(text, offered: offered))
        #expect(parsed.calls.map(\.name) == ["write_file", "new_answer"])
        let arguments = try #require(JSONValue.parse(parsed.calls[0].arguments))
        #expect(arguments["content"]?.stringValue == "x = {1: [2]}\n\"quoted\"")
        #expect(parsed.remainingText.isEmpty)
    }

    @Test func listOfCallsAndStringArgumentsAndFunctionWrapper() throws {
        let list = #"[{"name": "read_file", "arguments": "{\"path\": \"a\"}"}, {"type": "function", "function": {"name": "read_file", "arguments": {"path": "b"}}}]"#
        let parsed = try #require(BareToolCallParser.parse(list, offered: offered))
        #expect(parsed.calls.map(\.arguments) == [#"{"path":"a"}"#, #"{"path":"b"}"#])
    }

    @Test func ignoresJSONThatIsNotACallOfAnOfferedTool() {
        #expect(BareToolCallParser.parse(#"The config is {"name": "mg", "version": 2}."#, offered: offered) == nil)
        #expect(BareToolCallParser.parse(#"{"name": "delete_everything", "arguments": {}}"#, offered: offered) == nil)
        #expect(BareToolCallParser.parse("func f() { if x { return [1] } }", offered: offered) == nil)
    }

    /// The 1.5B model loses a call's closing braces to the fence it wrote inside a string; the
    /// call is read up to where it ends. Not-quite-JSON without that shape stays prose.
    @Test func repairsACallWhoseClosingBracesAreMissing() throws {
        let parsed = try #require(BareToolCallParser.parse(#"{"name": "read_file", "arguments": {"path": "a"}"#, offered: offered))
        #expect(parsed.calls == [.init(name: "read_file", arguments: #"{"path":"a"}"#)])
        #expect(BareToolCallParser.parse(#"{"name": "read_file", "path": a}"#, offered: offered) == nil)
    }
}
