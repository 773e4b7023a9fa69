import Foundation

/// The counts a runner's summary lines give, read line by line.
struct SummaryCounts {
    var passed: Int?
    var failed: Int?
    /// unittest's "Ran N tests": the total, until its "OK"/"FAILED (…)" line splits it.
    private var unittestTotal: Int?

    /// Reads one (trimmed) line; `failuresNamedSoFar` serves runners whose summary has only a total.
    mutating func read(_ line: String, failuresNamedSoFar: Int) {
        if Self.isPytestSummary(line) {
            // pytest: "== 1 failed, 3 passed, 1 error in 0.12s ==" (with -q: no "=" around it)
            let failures = (Self.number(before: " failed", in: line) ?? 0) + (Self.number(before: " error", in: line) ?? 0)
            passed = Self.number(before: " passed", in: line) ?? 0
            failed = failures
        } else if line.hasPrefix("Ran "), line.contains(" test") {
            // unittest: "Ran 5 tests in 0.002s", then "OK", "OK (skipped=1)" or "FAILED (failures=1, errors=1)"
            unittestTotal = Self.number(after: "Ran ", in: line)
        } else if let total = unittestTotal, line == "OK" || line.hasPrefix("OK (") || line.hasPrefix("FAILED (") {
            // "(failures=1, errors=2, skipped=1, expected failures=1)" as key → count.
            var fields: [String: Int] = [:]
            if let open = line.firstIndex(of: "(") {
                for pair in line[line.index(after: open)...].dropLast().split(separator: ",") {
                    let parts = pair.split(separator: "=")
                    if parts.count == 2, let value = Int(parts[1]) {
                        fields[parts[0].trimmingCharacters(in: .whitespaces)] = value
                    }
                }
            }
            let failures = (fields["failures"] ?? 0) + (fields["errors"] ?? 0)
            let notRun = (fields["skipped"] ?? 0) + (fields["expected failures"] ?? 0)
            passed = max(0, total - failures - notRun)
            failed = failures
            unittestTotal = nil
        } else if line.hasPrefix("test result: ") {  // cargo, once per test binary
            Self.add(Self.number(before: " passed", in: line), to: &passed)
            Self.add(Self.number(before: " failed", in: line), to: &failed)
        } else if line.hasPrefix("Executed "), line.contains(" test") {
            // XCTest: "Executed 5 tests, with 1 failure"
            if let total = Self.number(after: "Executed ", in: line) {
                let failures = Self.number(after: "with ", in: line) ?? 0
                passed = total - failures
                failed = failures
            }
        } else if line.hasPrefix("✔ Test run with ") {
            // Swift Testing: "✔ Test run with 4 tests passed after …"
            passed = Self.number(after: "✔ Test run with ", in: line)
            failed = 0
        } else if line.hasPrefix("✘ Test run with ") {
            // "✘ Test run with 4 tests failed after … with 1 issue."
            if let total = Self.number(after: "✘ Test run with ", in: line) {
                passed = max(0, total - failuresNamedSoFar)
                failed = failuresNamedSoFar
            }
        } else if line.hasPrefix("Tests:"), line.contains("total") {
            // Jest: "Tests: 1 failed, 4 passed, 5 total"
            passed = Self.number(before: " passed", in: line) ?? 0
            failed = Self.number(before: " failed", in: line) ?? 0
        } else if line.hasSuffix(" passing") || line.contains(" passing (") {
            passed = Self.number(before: " passing", in: line)  // Mocha: "4 passing (12ms)"
        } else if line.hasSuffix(" failing") {
            failed = Self.number(before: " failing", in: line)  // Mocha: "1 failing"
        } else if line.hasPrefix("# pass ") || line.hasPrefix("ℹ pass ") {  // TAP, node --test
            passed = Self.number(after: "pass ", in: line)
        } else if line.hasPrefix("# fail ") || line.hasPrefix("ℹ fail ") {
            failed = Self.number(after: "fail ", in: line)
        }
    }

    /// pytest's closing line: counts of outcomes, then " in <seconds>s", maybe between "=" runs.
    static func isPytestSummary(_ line: String) -> Bool {
        let core = line.trimmingCharacters(in: CharacterSet(charactersIn: "= "))
        return core.range(
            of: #"^\d+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)(, \d+ \w+)* in [0-9.]+s"#,
            options: .regularExpression) != nil
    }

    private static func add(_ value: Int?, to total: inout Int?) {
        guard let value else { return }
        total = (total ?? 0) + value
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
