import Foundation

/// Finds the test command of a repository from the files at its root, in this order:
/// `Package.swift` → `swift test`, `Cargo.toml` → `cargo test`, `go.mod` → `go test ./...`,
/// pytest markers (`pytest.ini`, `conftest.py`, `[tool.pytest…]` in `pyproject.toml`, `tox.ini`,
/// `setup.cfg` with a `[tool:pytest]` section) → `pytest`; the project's own script (`test.sh` →
/// `sh test.sh`, an executable `scripts/test` → `scripts/test`); Python test files at the root or in
/// `tests/` → `pytest` when they use it, else `python3 -m unittest` (standard library),
/// `package.json` with a real `scripts.test` → `npm test`, a Makefile with a `test:` target →
/// `make test`. Repositories usually have one of these; the first match is the main toolchain.
public enum TestCommandDetector {
    /// The detected command, or `nil` when nothing matches.
    public static func detect(in root: String) -> String? {
        let files = FileManager.default
        func exists(_ name: String) -> Bool { files.fileExists(atPath: root + "/" + name) }
        func read(_ name: String) -> String? {
            try? String(contentsOfFile: root + "/" + name, encoding: .utf8)
        }

        if exists("Package.swift") { return "swift test" }
        if exists("Cargo.toml") { return "cargo test" }
        if exists("go.mod") { return "go test ./..." }
        if exists("pytest.ini") || exists("conftest.py") || exists("tox.ini")
            || read("pyproject.toml")?.contains("[tool.pytest") == true
            || read("setup.cfg")?.contains("[tool:pytest]") == true
        {
            return "pytest"
        }
        if exists("test.sh") { return "sh test.sh" }
        if files.isExecutableFile(atPath: root + "/scripts/test") { return "scripts/test" }
        if let python = pythonTests(in: root) { return python }
        if let package = read("package.json"), hasNpmTestScript(package) { return "npm test" }
        for makefile in ["Makefile", "makefile", "GNUmakefile"] {
            if let text = read(makefile),
                text.split(whereSeparator: \.isNewline).contains(where: { $0.hasPrefix("test:") })
            {
                return "make test"
            }
        }
        return nil
    }

    /// Python test files (`test_*.py`, `*_test.py`) at the root or in `tests/`: pytest when they
    /// use it (or are plain `def test_…` functions), else the standard library's unittest, which
    /// needs nothing installed.
    static func pythonTests(in root: String) -> String? {
        for (folder, unittest) in [("", "python3 -m unittest"), ("tests", "python3 -m unittest discover -s tests -t .")] {
            let path = folder.isEmpty ? root : root + "/" + folder
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
            let files = entries.filter { ($0.hasPrefix("test_") || $0.hasSuffix("_test.py")) && $0.hasSuffix(".py") }
            guard !files.isEmpty else { continue }
            let texts = files.sorted().prefix(20).compactMap { try? String(contentsOfFile: path + "/" + $0, encoding: .utf8) }
            if texts.contains(where: { $0.contains("import pytest") || $0.contains("from pytest") }) { return "pytest" }
            if texts.contains(where: { $0.contains("import unittest") || $0.contains("from unittest") }) { return unittest }
            return "pytest"
        }
        return nil
    }

    /// True when `package.json` has a `scripts.test` other than npm's placeholder.
    static func hasNpmTestScript(_ json: String) -> Bool {
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let scripts = object["scripts"] as? [String: Any], let test = scripts["test"] as? String
        else { return false }
        return !test.contains("no test specified")
    }
}
