import Foundation

/// Reads per-test outcomes and counts out of common runners' output: unittest, pytest, XCTest
/// and Swift Testing (`swift test`), `go test`, `cargo test`, Jest, Mocha, node's test runner and
/// TAP. A runner's passing tests are named where its output names them (verbose modes,
/// cargo, XCTest, Swift Testing, Jest); failing ones are named by every runner listed.
/// Unknown output yields no names and no counts; pass/fail then comes from the exit code.
public enum TestOutputParser {
    /// What the output says.
    public struct Summary: Sendable, Hashable {
        /// Passing tests, when a summary line gives them.
        public var passed: Int?
        /// Failing tests (failures and errors), when a summary line gives them.
        public var failed: Int?
        /// Failing test names, in order of appearance, without duplicates.
        public var failedTests: [String]
        /// Passing test names the output shows, in order, without duplicates.
        public var passedTests: [String] = []
    }

    /// A test's outcome on one line of output.
    enum Outcome { case passed, failed }

    /// Parses `output`.
    public static func parse(_ output: String) -> Summary {
        var counts = SummaryCounts()
        var failedNames = OrderedNames()
        var passedNames = OrderedNames()
        for rawLine in output.split(whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingCharacters(in: .whitespaces)
            if let (name, outcome) = testLine(line) {
                switch outcome {
                case .failed: failedNames.add(name)
                case .passed: passedNames.add(name)
                }
            }
            counts.read(line, failuresNamedSoFar: failedNames.names.count)
        }
        // A test that failed on one line and passed on another (a retry) counts as failed.
        let passed = passedNames.names.filter { !failedNames.contains($0) }
        var summary = Summary(
            passed: counts.passed, failed: counts.failed, failedTests: failedNames.names, passedTests: passed)
        if summary.failed == nil, !failedNames.names.isEmpty, summary.passed != nil {
            summary.failed = failedNames.names.count
        }
        return summary
    }

    /// The test named on `line` and its outcome, if the line reports one.
    static func testLine(_ line: String) -> (String, Outcome)? {
        // unittest: "FAIL: test_add (test_mathops.TestMath.test_add)", "ERROR: test_x (mod.Case)"
        for prefix in ["FAIL: ", "ERROR: "] where line.hasPrefix(prefix) {
            return unittestName(String(line.dropFirst(prefix.count))).map { ($0, .failed) }
        }
        // unittest -v: "test_add (test_mathops.TestMath.test_add) ... ok" / "... FAIL" / "... ERROR"
        if let range = line.range(of: " ... "), line.hasPrefix("test"), line.contains(" ("),
            let name = unittestName(String(line[..<range.lowerBound]))
        {
            let verdict = line[range.upperBound...]
            if verdict.hasPrefix("ok") { return (name, .passed) }
            if verdict.hasPrefix("FAIL") || verdict.hasPrefix("ERROR") { return (name, .failed) }
            return nil
        }
        // pytest summary: "FAILED tests/test_calc.py::test_add - assert 1 == 2", "ERROR tests/x.py - Import…"
        // (not unittest's closing "FAILED (failures=2)").
        for prefix in ["FAILED ", "ERROR "] where line.hasPrefix(prefix) {
            let name = String(line.dropFirst(prefix.count).components(separatedBy: " - ")[0])
                .trimmingCharacters(in: .whitespaces)
            // Only pytest's node ids ("path.py::test", "path.py"), not any log line starting with ERROR.
            guard let file = name.components(separatedBy: "::").first, file.hasSuffix(".py") else { return nil }
            return (name, .failed)
        }
        // cargo test: "test tests::adds ... FAILED" / "... ok"
        if line.hasPrefix("test "), let range = line.range(of: " ... ") {
            let name = String(line[line.index(line.startIndex, offsetBy: 5)..<range.lowerBound])
            let verdict = line[range.upperBound...]
            if verdict.hasPrefix("FAILED") { return (name, .failed) }
            if verdict.hasPrefix("ok") { return (name, .passed) }
            return nil
        }
        // pytest -v: "tests/test_calc.py::test_add PASSED [ 50%]"
        if line.contains("::") {
            for (word, outcome) in [(" PASSED", Outcome.passed), (" FAILED", .failed), (" ERROR", .failed)] {
                if let range = line.range(of: word) {
                    return (String(line[..<range.lowerBound]), outcome)
                }
            }
        }
        // go test: "--- FAIL: TestAdd (0.00s)", "--- PASS: TestAdd (0.00s)"
        for (prefix, outcome) in [("--- FAIL: ", Outcome.failed), ("--- PASS: ", .passed)] where line.hasPrefix(prefix) {
            return String(line.dropFirst(prefix.count).split(separator: " ").first ?? "").nonEmpty.map { ($0, outcome) }
        }
        // XCTest: "Test Case '-[CalcTests.CalcTests testAdd]' failed (0.001 seconds)." / "passed"
        if line.hasPrefix("Test Case '") {
            let inner = String(line.dropFirst(11).prefix { $0 != "'" })
                .trimmingCharacters(in: CharacterSet(charactersIn: "-[]"))
            if line.contains("' failed") { return (inner, .failed) }
            if line.contains("' passed") { return (inner, .passed) }
            return nil
        }
        // Swift Testing: "✘ Test addsNumbers() failed after …", "✔ Test addsNumbers() passed after …"
        for (prefix, word, outcome) in [("✘ Test ", " failed", Outcome.failed), ("✔ Test ", " passed", .passed)]
        where line.hasPrefix(prefix) && !line.hasPrefix(prefix + "run") {
            guard let range = line.range(of: word) else { return nil }
            let name = line[line.index(line.startIndex, offsetBy: prefix.count)..<range.lowerBound]
            return (String(name).trimmingCharacters(in: CharacterSet(charactersIn: "\"")), outcome)
        }
        // Jest / Mocha / node --test (spec reporter): "✕ adds (3 ms)", "✓ adds", "✖ adds", "✔ adds (0.4ms)"
        for (mark, outcome) in [("✕ ", Outcome.failed), ("✖ ", .failed), ("✓ ", .passed), ("✔ ", .passed), ("√ ", .passed)]
        where line.hasPrefix(mark) && !line.hasPrefix(mark + "Suite ") {
            let name = String(line.dropFirst(mark.count)).replacingOccurrences(
                of: #"\s*\(\d+(\.\d+)?\s?ms\)$"#, with: "", options: .regularExpression)
            // node's spec reporter heads its recap "✖ failing tests:".
            guard !name.hasSuffix(":") else { return nil }
            return name.nonEmpty.map { ($0, outcome) }
        }
        // TAP: "not ok 2 - adds numbers", "ok 1 - adds numbers" (skips and todos are neither)
        for (prefix, outcome) in [("not ok ", Outcome.failed), ("ok ", .passed)] where line.hasPrefix(prefix) {
            if line.contains("# SKIP") || line.contains("# TODO") || line.contains("# skip") { return nil }
            var rest = line.dropFirst(prefix.count).drop { $0.isNumber }.trimmingCharacters(in: .whitespaces)
            // " # …" is a directive or comment (often the error text), not part of the name.
            if let comment = rest.range(of: " #") { rest = rest[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
            let name = rest.hasPrefix("- ") ? String(rest.dropFirst(2)) : rest
            return name.nonEmpty.map { ($0, outcome) }
        }
        return nil
    }

    /// unittest's "test_add (module.Class.test_add)" (3.11+) or "test_add (module.Class)" as
    /// `module.Class.test_add`.
    static func unittestName(_ text: String) -> String? {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return nil }
        let method = text[..<open].trimmingCharacters(in: .whitespaces)
        let qualifier = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard !method.isEmpty, !method.contains(" ") else { return nil }
        return qualifier.hasSuffix("." + method) ? qualifier : qualifier + "." + method
    }
}

/// Names in the order first seen, each once.
struct OrderedNames {
    private(set) var names: [String] = []
    private var seen: Set<String> = []

    mutating func add(_ name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, seen.insert(trimmed).inserted { names.append(trimmed) }
    }

    func contains(_ name: String) -> Bool { seen.contains(name) }
}

extension String {
    /// `nil` when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
