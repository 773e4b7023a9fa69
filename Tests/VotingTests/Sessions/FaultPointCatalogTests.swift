import Foundation
import Testing

/// `FaultPoint`'s documentation lists exactly the fault points the code hits: crash tests and
/// people pick names from it, so a name that does not exist (or a missing one) is a bug.
@Suite struct FaultPointCatalogTests {
    private static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every `after-…` name in backticks on a `///` line of FaultPoint.swift.
    private func documented() throws -> Set<String> {
        let text = try String(
            contentsOf: Self.sources.appendingPathComponent("Voting/Sessions/FaultPoint.swift"), encoding: .utf8)
        let doc = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("///") }
        return Set(doc.flatMap { line in line.matches(of: /`(after-[a-z-]+)`/).map { String($0.output.1) } })
    }

    /// Every name passed to the store's `write("…")` or to `FaultPoint.hit("…")` in Sources.
    private func hit() throws -> Set<String> {
        var names: Set<String> = []
        let files = FileManager.default.enumerator(atPath: Self.sources.path)
        while let relative = files?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: Self.sources.appendingPathComponent(relative), encoding: .utf8)
            for match in text.matches(of: /(?:write|FaultPoint\.hit)\("([a-z][a-z-]+)"/) { names.insert(String(match.output.1)) }
        }
        return names
    }

    @Test func theDocumentedPointsAreExactlyTheOnesHit() throws {
        let documented = try documented()
        let hit = try hit()
        #expect(!hit.isEmpty)
        #expect(documented.subtracting(hit).sorted() == [], "documented but never hit")
        #expect(hit.subtracting(documented).sorted() == [], "hit but not documented")
    }
}
