import Testing
@testable import CodingAgent

@Suite struct JSONValueTests {
    @Test func roundTripsNestedDocuments() throws {
        let text = #"{"a":[1,2.5,"x",null,true],"b":{"c":"d"}}"#
        let value = try #require(JSONValue.parse(text))
        #expect(value.jsonText == text)
        #expect(value["b"]?["c"]?.stringValue == "d")
    }

    @Test func rejectsInvalidJSON() {
        #expect(JSONValue.parse("{nope") == nil)
    }
}
