import Testing
import Voting

@Suite struct TestFileRulesTests {
    @Test func frameworkRulesFindTestFiles() {
        let rules = TestFileRules(testCommand: "pytest")
        for path in [
            "test_calc.py", "pkg/calc_test.py", "tests/fixtures/data.json", "conftest.py", "calc_test.go",
            "src/app.test.ts", "web/__tests__/x.js", "Tests/CalcTests/CalcTests.swift", "src/test/java/CalcTest.java",
            "spec/calc_spec.rb", "jest.config.js",
        ] {
            #expect(rules.isTestFile(path), "\(path)")
        }
        for path in ["calc.py", "src/testing_notes.md", "contest.py", "README.md", "src/latest.go"] {
            #expect(!rules.isTestFile(path), "\(path)")
        }
    }

    @Test func theTestCommandsOwnFilesAndConfiguredGlobsCount() {
        let rules = TestFileRules(testCommand: "sh ./test.sh && python3 checks/run.py -q .", testPaths: ["qa/**/*.yaml"])
        #expect(rules.isTestFile("test.sh"))
        #expect(rules.isTestFile("checks/run.py"))
        #expect(rules.isTestFile("qa/cases/one.yaml"))
        #expect(!rules.isTestFile("calc.sh"))
        // `.`, options and absolute paths are not files of the repository.
        #expect(!TestFileRules(testCommand: "go test ./...").isTestFile("main.go"))
    }
}
