import Foundation
import CodingAgent

/// Which files of a repository are tests: the discovery rules of the common test frameworks,
/// the runner's configuration files, files the test command names (`sh test.sh`,
/// `pytest tests/unit`), and the configuration's `orchestrator.test_paths` globs.
///
/// An answer is judged by the base's versions of these files, and may not change the existing
/// ones unless the task allows test changes (`allow_test_changes`).
public struct TestFileRules: Sendable, Hashable {
    /// The frameworks' own discovery rules, as `.gitignore`-style patterns: Python
    /// (unittest/pytest), Go, JavaScript/TypeScript (Jest, Vitest, Mocha, node --test), Swift,
    /// Rust, Java/Kotlin, Ruby, and the runners' configuration files.
    public static let frameworkPatterns = [
        "test_*.py", "*_test.py", "conftest.py", "pytest.ini", "tox.ini",
        "*_test.go", "testdata/",
        "*.test.js", "*.test.ts", "*.test.jsx", "*.test.tsx", "*.test.mjs", "*.test.cjs",
        "*.spec.js", "*.spec.ts", "*.spec.jsx", "*.spec.tsx", "*.spec.mjs", "*.spec.cjs", "__tests__/",
        "jest.config.*", "vitest.config.*", ".mocharc*",
        "/Tests/", "*Tests.swift", "*Test.java", "*Tests.java", "*Test.kt", "src/test/",
        "*_spec.rb", "spec/", "tests/", "test/",
    ]

    /// The framework rules plus the configured patterns.
    public let patterns: PathPatternList
    /// Paths the test command names (files or folders), repository-relative.
    public let commandPaths: [String]

    /// Rules for `testCommand` (its path arguments count as tests) and the configured `testPaths`.
    public init(testCommand: String?, testPaths: [String] = []) {
        patterns = PathPatternList(Self.frameworkPatterns + testPaths)
        commandPaths = Self.paths(named: testCommand ?? "")
    }

    /// True when `path` (repository-relative) is a test file.
    public func isTestFile(_ path: String) -> Bool {
        if commandPaths.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { return true }
        return patterns.firstMatch(path) != nil
    }

    /// The words of a shell command that could be repository paths: not options, not absolute,
    /// not the repository itself (`.`), no globs or variables.
    static func paths(named command: String) -> [String] {
        command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" || $0 == "&" || $0 == "|" })
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
            .map { $0.hasPrefix("./") ? String($0.dropFirst(2)) : $0 }
            .map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            .filter { word in
                !word.isEmpty && word != "." && word != ".." && !word.hasPrefix("-") && !word.hasPrefix("/")
                    && !word.hasPrefix("~") && !word.hasPrefix("..") && !word.contains("*") && !word.contains("$")
                    && !word.contains("=") && (word.contains(".") || word.contains("/"))
            }
    }
}
