import Foundation
import MGTestSupport
import Testing
import Voting

/// Per-test outcomes read from real runners' output (unittest, pytest, node --test, cargo test
/// run here on small projects) and from recorded output of runners this machine lacks.
@Suite struct TestRunnerOutputTests {
    private static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "mg-runner-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `command` through the shell in `folder`, stdout and stderr together as the test runner sees them.
    private static func run(_ command: String, in folder: String) throws -> String {
        var environment = GitCLI.environment()
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        // The hermetic HOME hides rustup's toolchains; point at the real ones.
        let real = ProcessInfo.processInfo.environment
        let home = real["HOME"] ?? NSHomeDirectory()
        environment["CARGO_HOME"] = real["CARGO_HOME"] ?? home + "/.cargo"
        environment["RUSTUP_HOME"] = real["RUSTUP_HOME"] ?? home + "/.rustup"
        let result = try ProcessRunner.run("/bin/sh", ["-c", command + " 2>&1"], in: folder, environment: environment)
        return result.stdout
    }

    private static let pythonTests = """
        import unittest
        from calc import add, mul

        class CalcTests(unittest.TestCase):
            def test_add(self):
                self.assertEqual(add(2, 3), 5)

            def test_mul(self):
                self.assertEqual(mul(2, 3), 6)

            def test_crash(self):
                self.assertEqual(add(1, 1) // (add(1, 1) - 2 + 2), 1)

        if __name__ == "__main__":
            unittest.main()

        """

    @Test(arguments: ["python3 -m unittest", "python3 -m unittest -v", "python3 -m pytest -q -p no:cacheprovider", "python3 -m pytest -v -p no:cacheprovider"])
    func pythonRunnersNameEveryFailingTest(command: String) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.pythonTests.write(toFile: folder + "/test_calc.py", atomically: true, encoding: .utf8)
        try "def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a * b\n".write(
            toFile: folder + "/calc.py", atomically: true, encoding: .utf8)
        let failing = TestOutputParser.parse(try Self.run(command, in: folder))
        #expect(failing.failedTests.count == 2, "\(failing)")
        #expect(failing.failedTests.allSatisfy { $0.contains("test_add") || $0.contains("test_crash") }, "\(failing)")
        #expect(failing.passed == 1 && failing.failed == 2, "\(failing)")
        if command.contains("-v") {
            #expect(failing.passedTests.count == 1 && failing.passedTests.first?.contains("test_mul") == true)
        }

        try "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n".write(
            toFile: folder + "/calc.py", atomically: true, encoding: .utf8)
        let fixed = TestOutputParser.parse(try Self.run(command, in: folder))
        #expect(fixed.failedTests.isEmpty && fixed.passed == 3 && fixed.failed == 0, "\(fixed)")
        if command.contains("-v") {
            // The same names before and after: a fixed test can be followed from run to run.
            #expect(Set(fixed.passedTests).isSuperset(of: failing.failedTests), "\(fixed) vs \(failing)")
        }
    }

    @Test func nodeTestRunner() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            const test = require('node:test');
            const assert = require('node:assert');
            const add = (a, b) => a - b;
            test('adds', () => assert.strictEqual(add(2, 3), 5));
            test('subtracts', () => assert.strictEqual(add(3, 2), 1));

            """.write(toFile: folder + "/calc.test.js", atomically: true, encoding: .utf8)
        for reporter in ["tap", "spec"] {
            let summary = TestOutputParser.parse(try Self.run("node --test --test-reporter=\(reporter)", in: folder))
            #expect(summary.failedTests == ["adds"], "\(reporter): \(summary)")
            #expect(summary.passedTests.contains("subtracts"), "\(reporter): \(summary)")
            #expect(summary.passed == 1 && summary.failed == 1, "\(reporter): \(summary)")
        }
    }

    @Test func cargoTest() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/src", withIntermediateDirectories: true)
        try "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".write(
            toFile: folder + "/Cargo.toml", atomically: true, encoding: .utf8)
        try """
            pub fn add(a: i32, b: i32) -> i32 { a - b }
            #[cfg(test)]
            mod tests {
                #[test] fn adds() { assert_eq!(super::add(2, 3), 5); }
                #[test] fn zero() { assert_eq!(super::add(0, 0), 0); }
            }

            """.write(toFile: folder + "/src/lib.rs", atomically: true, encoding: .utf8)
        let summary = TestOutputParser.parse(try Self.run("cargo test --offline", in: folder))
        #expect(summary.failedTests == ["tests::adds"], "\(summary)")
        #expect(summary.failed == 1)
    }

    @Test func unittestClosingLineIsNotATestName() {
        let summary = TestOutputParser.parse(
            """
            FAIL: test_add (test_mathops.TestMath.test_add)
            ----------------------------------------------------------------------
            Ran 4 tests in 0.001s

            FAILED (failures=1, errors=1, skipped=1)
            ERROR: test_div (test_mathops.TestMath)
            """)
        #expect(summary.failedTests == ["test_mathops.TestMath.test_add", "test_mathops.TestMath.test_div"])
        #expect(summary.passed == 1 && summary.failed == 2)
    }

    @Test func recordedRunnersNameTheirPasses() {
        let go = TestOutputParser.parse("--- FAIL: TestAdd (0.00s)\n--- PASS: TestMul (0.00s)\n    --- FAIL: TestAdd/negative (0.00s)\nFAIL\n")
        #expect(go.failedTests == ["TestAdd", "TestAdd/negative"] && go.passedTests == ["TestMul"])
        let xctest = TestOutputParser.parse(
            "Test Case 'CalcTests.testAdd' failed (0.001 seconds).\nTest Case 'CalcTests.testMul' passed (0.001 seconds).\n")
        #expect(xctest.failedTests == ["CalcTests.testAdd"] && xctest.passedTests == ["CalcTests.testMul"])
        let swiftTesting = TestOutputParser.parse(
            "✔ Test multiplies() passed after 0.001 seconds.\n✘ Test adds() failed after 0.001 seconds with 1 issue.\n")
        #expect(swiftTesting.failedTests == ["adds()"] && swiftTesting.passedTests == ["multiplies()"])
        let jest = TestOutputParser.parse("  ✓ multiplies (2 ms)\n  ✕ adds (3 ms)\nTests:       1 failed, 1 passed, 2 total\n")
        #expect(jest.failedTests == ["adds"] && jest.passedTests == ["multiplies"] && jest.failed == 1)
        let mocha = TestOutputParser.parse("  ✔ multiplies\n  1 passing (4ms)\n  1 failing\n")
        #expect(mocha.passedTests == ["multiplies"] && mocha.passed == 1 && mocha.failed == 1)
        // A TAP comment (often the error text) is not part of the name, so runs compare by name.
        let tap = TestOutputParser.parse("not ok 1 - mean of [] # ZeroDivisionError: integer division\nok 2 - total # SKIP\n")
        #expect(tap.failedTests == ["mean of []"] && tap.passedTests.isEmpty)
        // A log line starting with ERROR is not a pytest failure.
        #expect(TestOutputParser.parse("ERROR Connection reset by peer\n").failedTests.isEmpty)
    }
}
