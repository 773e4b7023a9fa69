import Foundation
import Testing

@testable import WebView

@Suite struct ReportPageTests {
    @Test func embeddedTextCannotCloseTheScriptElement() throws {
        let json = String(decoding: try JSONEncoder().encode(["task": "fix </script><script>alert(1)</script> <!--"]), as: UTF8.self)
        let embedded = json.replacingOccurrences(of: "<", with: "\\u003c")
        #expect(!embedded.contains("</script") && !embedded.contains("<!--"))
        // The page escapes the same way: parsing the embedded text gives the original back.
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(embedded.utf8))
        #expect(decoded["task"] == "fix </script><script>alert(1)</script> <!--")
    }

    @Test func theLivePageLoadsNothingFromOutside() {
        let html = ReportPage.liveHTML(session: "s1", token: "abc\"<x>")
        #expect(html.range(of: #"(src|href)=["']?https?:|url\(|@import"#, options: .regularExpression) == nil)
        #expect(html.contains(#"data-token="abc&quot;&lt;x&gt;""#))
        #expect(html.utf8.count < 60_000, "page shell \(html.utf8.count) bytes")
    }

    @Test func theTailReturnsOnlyCompleteNewLines() throws {
        let path = NSTemporaryDirectory() + "mg-tail-\(UUID().uuidString.prefix(8)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var tail = LineTail(path: path)
        #expect(tail.readNewLines().isEmpty && tail.isMissing)
        try Data("{\"a\":1}\n{\"b\"".utf8).write(to: URL(fileURLWithPath: path))
        #expect(tail.readNewLines() == ["{\"a\":1}"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(":2}\n".utf8))
        try handle.close()
        #expect(tail.readNewLines() == ["{\"b\":2}"])
        #expect(tail.readNewLines().isEmpty)
    }
}
