import Foundation
import Testing

/// `FaultPoint`'s documentation lists exactly the fault points the code hits: crash tests and
/// people pick names from it, so a name that does not exist (or a missing one) is a bug.
@Suite struct FaultPointCatalogTests {
    private static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file below Sources, by path relative to it.
    private func sourceFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: Self.sources.path)
        while let relative = walker?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            files[relative] = try String(contentsOf: Self.sources.appendingPathComponent(relative), encoding: .utf8)
        }
        return files
    }

    /// Every kebab-case name in backticks on a `///` line of FaultPoint.swift (wherever it lives).
    private func documented(in files: [String: String]) throws -> Set<String> {
        let text = try #require(files.first { $0.key.hasSuffix("/FaultPoint.swift") }?.value)
        let doc = text.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("///") }
        return Set(doc.flatMap { line in line.matches(of: /`([a-z]+(?:-[a-z]+)+)`/).map { String($0.output.1) } })
    }

    /// Every name passed to the store's `write("…")`, to `FaultPoint.hit("…")` or to
    /// `failIfArmed("…")`.
    private func used(in files: [String: String]) -> Set<String> {
        var names: Set<String> = []
        for text in files.values {
            for match in text.matches(of: /(?:write|FaultPoint\.hit|failIfArmed)\("([a-z][a-z-]+)"/) {
                names.insert(String(match.output.1))
            }
        }
        return names
    }

    @Test func theDocumentedPointsAreExactlyTheOnesUsed() throws {
        let files = try sourceFiles()
        let documented = try documented(in: files)
        let used = used(in: files)
        #expect(used.contains("after-session-begin"))
        #expect(documented.subtracting(used).sorted() == [], "documented but never used")
        #expect(used.subtracting(documented).sorted() == [], "used but not documented")
    }
}
