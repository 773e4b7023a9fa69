import Foundation

/// Finds the test command of a repository from the files at its root, in this order:
/// `Package.swift` → `swift test`, `Cargo.toml` → `cargo test`, `go.mod` → `go test ./...`,
/// pytest markers (`pytest.ini`, `conftest.py`, `[tool.pytest…]` in `pyproject.toml`, `tox.ini`,
/// `setup.cfg` with a `[tool:pytest]` section, or a `tests/` folder with `test_*.py`) → `pytest`,
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
            || hasPythonTests(in: root + "/tests")
        {
            return "pytest"
        }
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

    private static func hasPythonTests(in folder: String) -> Bool {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return false }
        return entries.contains { $0.hasPrefix("test_") && $0.hasSuffix(".py") }
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
