import CodingAgent
import Foundation
import Testing
import Voting

@Suite struct TestOutputParserTests {
    @Test func pytest() {
        let output = """
            tests/test_calc.py .F.                                              [100%]
            FAILED tests/test_calc.py::test_add - assert -1 == 5
            ========================= 1 failed, 2 passed in 0.03s =========================
            """
        let summary = TestOutputParser.parse(output)
        #expect(summary.failedTests == ["tests/test_calc.py::test_add"])
        #expect(summary.passed == 2)
        #expect(summary.failed == 1)
    }

    @Test func goTest() {
        let output =
            "=== RUN   TestAdd\n--- FAIL: TestAdd (0.00s)\n    calc_test.go:9: got -1\n--- PASS: TestMul (0.00s)\nFAIL\n"
        #expect(TestOutputParser.parse(output).failedTests == ["TestAdd"])
    }

    @Test func cargoTestSumsEveryBinary() {
        let output = """
            test tests::adds ... FAILED
            test tests::multiplies ... ok
            test result: FAILED. 1 passed; 1 failed; 0 ignored
            test result: ok. 3 passed; 0 failed; 0 ignored
            """
        let summary = TestOutputParser.parse(output)
        #expect(summary.failedTests == ["tests::adds"])
        #expect(summary.passed == 4)
        #expect(summary.failed == 1)
    }

    @Test func xctestAndSwiftTesting() {
        let xctest = """
            Test Case '-[CalcTests.CalcTests testAdd]' started.
            Test Case '-[CalcTests.CalcTests testAdd]' failed (0.002 seconds).
            Executed 5 tests, with 1 failure (0 unexpected) in 0.010 (0.011) seconds
            """
        let summary = TestOutputParser.parse(xctest)
        #expect(summary.failedTests == ["CalcTests.CalcTests testAdd"])
        #expect(summary.passed == 4)
        #expect(summary.failed == 1)

        let swiftTesting = """
            ✘ Test addsNumbers() failed after 0.001 seconds with 1 issue.
            ✘ Test run with 3 tests failed after 0.002 seconds with 1 issue.
            """
        let modern = TestOutputParser.parse(swiftTesting)
        #expect(modern.failedTests == ["addsNumbers()"])
        #expect(modern.passed == 2)
        #expect(modern.failed == 1)
        #expect(TestOutputParser.parse("✔ Test run with 7 tests passed after 0.1 seconds.").passed == 7)
    }

    @Test func jestAndTap() {
        let jest =
            "  ✕ adds numbers (3 ms)\n  ✓ multiplies (1 ms)\nTests:       1 failed, 4 passed, 5 total\n"
        let summary = TestOutputParser.parse(jest)
        #expect(summary.failedTests == ["adds numbers"])
        #expect(summary.passed == 4)
        #expect(summary.failed == 1)
        let tap = "ok 1 - mul\nnot ok 2 - add\n# pass 1\n# fail 1\n"
        let parsed = TestOutputParser.parse(tap)
        #expect(parsed.failedTests == ["add"])
        #expect(parsed.passed == 1)
        #expect(parsed.failed == 1)
    }

    @Test func unknownOutputHasNoCounts() {
        let summary = TestOutputParser.parse("make: *** [test] Error 1\n")
        #expect(summary.passed == nil)
        #expect(summary.failed == nil)
        #expect(summary.failedTests.isEmpty)
    }
}

@Suite struct TestCommandDetectorTests {
    private func folder(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mg-detect-\(UUID().uuidString.prefix(8))"
        ).path
        for (name, content) in files {
            let file = path + "/" + name
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: file, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func detectsEachToolchain() throws {
        let cases: [([String: String], String?)] = [
            (["Package.swift": "// swift-tools-version: 6.0"], "swift test"),
            (["Cargo.toml": "[package]"], "cargo test"),
            (["go.mod": "module x"], "go test ./..."),
            (["pyproject.toml": "[tool.pytest.ini_options]\n"], "pytest"),
            (["tests/test_calc.py": "def test_x(): pass\n"], "pytest"),
            (["test_calc.py": "import pytest\n\ndef test_x(): pass\n"], "pytest"),
            (["test_mathops.py": "import unittest\nclass T(unittest.TestCase): pass\n"], "python3 -m unittest"),
            (["tests/test_calc.py": "from unittest import TestCase\n"], "python3 -m unittest discover -s tests -t ."),
            (["package.json": #"{"scripts": {"test": "jest"}}"#], "npm test"),
            (["package.json": #"{"scripts": {"test": "echo \"Error: no test specified\" && exit 1"}}"#], nil),
            (["Makefile": "build:\n\tcc x.c\ntest: build\n\t./run\n"], "make test"),
            (["README.md": "hello"], nil),
            // The project's own script wins over guessing from Python test files.
            (["test.sh": "python3 test_stats.py\n", "test_stats.py": "print('1..1')\n"], "sh test.sh"),
        ]
        for (files, expected) in cases {
            let path = try folder(files)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(TestCommandDetector.detect(in: path) == expected, "\(files.keys.sorted())")
        }
    }

    @Test func anExecutableScriptsTestIsTheCommand() throws {
        let path = try folder(["scripts/test": "#!/bin/sh\nexit 0\n", "tests/test_calc.py": "def test_x(): pass\n"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(TestCommandDetector.detect(in: path) == "pytest")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/scripts/test")
        #expect(TestCommandDetector.detect(in: path) == "scripts/test")
    }
}

@Suite struct EvidenceRunnerTests {
    @Test func runsTheCommandAndReadsItsOutput() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mg-evidence-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "echo 'ok 1 - mul'\necho 'not ok 2 - add'\nexit 1\n".write(
            toFile: path + "/t.sh", atomically: true, encoding: .utf8)
        let runner = EvidenceRunner(command: "sh t.sh", runner: CommandRunner(), timeout: .seconds(30))
        let evidence = try #require(await runner.run(in: path))
        #expect(evidence.ran)
        #expect(!evidence.passed)
        #expect(evidence.exitCode == 1)
        #expect(evidence.failedTests == ["add"])
        #expect(evidence.outputTail == "ok 1 - mul\nnot ok 2 - add")
        #expect(evidence.headline.contains("failing: add"))

        let passing = EvidenceRunner(command: "true", runner: CommandRunner(), timeout: .seconds(30))
        #expect(await passing.run(in: path)?.passed == true)
        #expect(await EvidenceRunner(command: nil, runner: CommandRunner()).run(in: path) == nil)
    }

    @Test func timeoutIsReportedAsAFailure() async throws {
        let runner = EvidenceRunner(command: "sleep 30", runner: CommandRunner(), timeout: .milliseconds(200))
        let evidence = try #require(await runner.run(in: FileManager.default.temporaryDirectory.path))
        #expect(evidence.timedOut)
        #expect(!evidence.passed)
        #expect(evidence.headline.hasPrefix("timed out"))
    }

    @Test func parallelRunsAreBoundedByTheLimiter() async {
        let limiter = AsyncLimiter(limit: 2)
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await limiter.withSlot {
                        await counter.enter()
                        try? await Task.sleep(for: .milliseconds(20))
                        await counter.leave()
                    }
                }
            }
        }
        #expect(await counter.peak == 2)
    }

    actor Counter {
        var current = 0
        var peak = 0
        func enter() {
            current += 1
            peak = max(peak, current)
        }
        func leave() { current -= 1 }
    }
}
