import Foundation

/// Reads test counts and failing test names out of common runners' output: XCTest and Swift
/// Testing (`swift test`), pytest, `go test`, `cargo test`, Jest/Mocha (`npm test`) and TAP.
/// Unknown output yields no counts; pass/fail then comes from the exit code alone.
public enum TestOutputParser {
    /// What the output says.
    public struct Summary: Sendable, Hashable {
        /// Passing tests, when a summary line gives them.
        public var passed: Int?
        /// Failing tests, when a summary line gives them.
        public var failed: Int?
        /// Failing test names, in order of appearance, without duplicates.
        public var failedTests: [String]
    }

    /// Parses `output`.
    public static func parse(_ output: String) -> Summary {
        var passed: Int?
        var failed: Int?
        var names: [String] = []
        func add(_ name: String) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, !names.contains(trimmed) { names.append(trimmed) }
        }
        func addCount(_ value: Int?, to total: inout Int?) {
            guard let value else { return }
            total = (total ?? 0) + value
        }
        for rawLine in output.split(whereSeparator: \.isNewline) {
            let line = String(rawLine).trimmingCharacters(in: .whitespaces)
            // pytest: "FAILED tests/test_calc.py::test_add - assert 1 == 2"
            if line.hasPrefix("FAILED ") {
                add(String(line.dropFirst(7).components(separatedBy: " - ")[0]))
            }
            // go test: "--- FAIL: TestAdd (0.00s)"
            else if line.hasPrefix("--- FAIL: ") {
                add(String(line.dropFirst(10).split(separator: " ").first ?? ""))
            }
            // cargo test: "test tests::adds ... FAILED"
            else if line.hasPrefix("test "), line.hasSuffix(" ... FAILED") {
                add(String(line.dropFirst(5).dropLast(11)))
            }
            // XCTest: "Test Case '-[CalcTests.CalcTests testAdd]' failed (0.001 seconds)." or "Test Case 'CalcTests.testAdd' failed"
            else if line.hasPrefix("Test Case '"), line.contains("' failed") {
                let inner = line.dropFirst(11).prefix { $0 != "'" }
                add(String(inner).trimmingCharacters(in: CharacterSet(charactersIn: "-[]")))
            }
            // Swift Testing: "✘ Test addsNumbers() failed after 0.001 seconds with 1 issue."
            else if line.hasPrefix("✘ Test "), !line.hasPrefix("✘ Test run"),
                let range = line.range(of: " failed")
            {
                add(
                    String(line[line.index(line.startIndex, offsetBy: 7)..<range.lowerBound])
                        .trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
            // Jest: "✕ adds numbers (3 ms)"
            else if line.hasPrefix("✕ ") {
                add(
                    String(line.dropFirst(2)).replacingOccurrences(
                        of: #"\s*\(\d+ ms\)$"#, with: "", options: .regularExpression))
            }
            // TAP: "not ok 2 - adds numbers"
            else if line.hasPrefix("not ok ") {
                let rest = line.dropFirst(7).drop { $0.isNumber }.trimmingCharacters(in: .whitespaces)
                add(rest.hasPrefix("- ") ? String(rest.dropFirst(2)) : rest)
            }

            // Summary lines.
            if line.hasPrefix("="), line.contains(" in "), line.contains("passed") || line.contains("failed")
            {
                // pytest: "== 1 failed, 3 passed in 0.12s =="
                passed = number(before: " passed", in: line) ?? passed
                failed = number(before: " failed", in: line) ?? failed
            } else if line.hasPrefix("test result: ") {  // cargo, once per test binary
                addCount(number(before: " passed", in: line), to: &passed)
                addCount(number(before: " failed", in: line), to: &failed)
            } else if line.hasPrefix("Executed "), line.contains(" test") {
                // XCTest: "Executed 5 tests, with 1 failure"
                if let total = number(after: "Executed ", in: line) {
                    let failures = number(after: "with ", in: line) ?? 0
                    passed = total - failures
                    failed = failures
                }
            } else if line.hasPrefix("✔ Test run with ") {
                // Swift Testing: "✔ Test run with 4 tests passed after …"
                passed = number(after: "✔ Test run with ", in: line)
                failed = 0
            } else if line.hasPrefix("✘ Test run with ") {
                // "✘ Test run with 4 tests failed after … with 1 issue."
                if let total = number(after: "✘ Test run with ", in: line) {
                    let failures = names.count
                    passed = max(0, total - failures)
                    failed = failures
                }
            } else if line.hasPrefix("Tests:"), line.contains("total") {
                // Jest: "Tests: 1 failed, 4 passed, 5 total"
                passed = number(before: " passed", in: line) ?? 0
                failed = number(before: " failed", in: line) ?? 0
            } else if line.hasPrefix("# pass ") {  // TAP
                passed = number(after: "# pass ", in: line)
            } else if line.hasPrefix("# fail ") {
                failed = number(after: "# fail ", in: line)
            }
        }
        if failed == nil, !names.isEmpty, passed != nil { failed = names.count }
        return Summary(passed: passed, failed: failed, failedTests: names)
    }

    /// The integer right before `marker`, e.g. `3` in "3 passed".
    static func number(before marker: String, in line: String) -> Int? {
        guard let range = line.range(of: marker) else { return nil }
        let digits = line[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return digits.isEmpty ? nil : Int(String(digits.reversed()))
    }

    /// The integer right after `marker`, e.g. `5` in "Executed 5 tests".
    static func number(after marker: String, in line: String) -> Int? {
        guard let range = line.range(of: marker) else { return nil }
        let digits = line[range.upperBound...].prefix { $0.isNumber }
        return digits.isEmpty ? nil : Int(String(digits))
    }
}
