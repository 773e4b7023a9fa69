/// Paths an agent may not change: mg's defaults (`.git/`, `.massgen/`, `.env*`), the
/// configuration's `protected_paths`, and — unless the task allows test changes — the test
/// files the base already has (answers are judged by them).
///
/// `write_file` and `edit_file` refuse them with a message the model can act on; the
/// orchestrator checks every answer against them before committing it, so a change made any
/// other way (a command, a custom tool) is caught too.
public struct ProtectedPaths: Sendable, Hashable {
    /// Patterns every session protects.
    public static let defaultPatterns = [".git/", ".massgen/", ".env*"]

    /// mg's defaults plus the configured patterns.
    public var patterns: PathPatternList
    /// The base's existing test files (exact repository-relative paths); empty when test
    /// changes are allowed.
    public var testFiles: Set<String>
    /// When any is set, only paths under these (repository-relative folders or files) may
    /// change: MassGen's write `context_paths` inside the repository.
    public var writeScopes: [String] = []

    /// Protection by `configured` patterns (added to the defaults) and `testFiles`.
    public init(configured: [String] = [], testFiles: Set<String> = []) {
        patterns = PathPatternList(Self.defaultPatterns + configured)
        self.testFiles = testFiles
    }

    /// Why `path` may not be changed, or `nil` when it may.
    public func reason(for path: String, isDirectory: Bool = false) -> String? {
        if testFiles.contains(path) {
            return "\(path) is an existing test file, and answers are judged by the base's tests: change the code, "
                + "not the tests (add new test files if you want more tests)"
        }
        if let pattern = patterns.firstMatch(path, isDirectory: isDirectory) {
            return "\(path) is protected (`\(pattern.text)` in protected_paths or mg's defaults)"
        }
        if isOutsideWriteScopes(path) {
            return "\(path) is outside the write context paths (\(writeScopes.joined(separator: ", "))), "
                + "and answers may change only files under them"
        }
        return nil
    }

    /// True when write scopes are set and `path` is under none of them.
    public func isOutsideWriteScopes(_ path: String) -> Bool {
        guard !writeScopes.isEmpty else { return false }
        return !writeScopes.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    /// True when `path` may not be changed.
    public func isProtected(_ path: String) -> Bool { reason(for: path) != nil }
}
