import Foundation

/// A path pattern with `.gitignore` semantics, for `protected_paths` and `test_paths`:
///
/// - `*` and `?` match within one path component, `[abc]` a character class (fnmatch);
/// - `**` matches any number of components (`**/x`, `a/**/b`, `a/**`);
/// - a pattern without a `/` (other than a trailing one) matches at any depth (`*.py`, `.env*`);
/// - a pattern with a `/` at its start or middle is anchored at the repository root;
/// - a trailing `/` matches directories only, and with them everything below;
/// - any pattern that matches a directory also matches everything below it (`config` protects
///   `config/prod.yaml`).
///
/// Written here rather than taken from a library: no package on the machine's list matches
/// repository paths with gitignore rules, and libgit2's own matcher only answers for a
/// repository's ignore files, not for a list of patterns from configuration.
public struct PathPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let text: String
    private let components: [String]
    private let directoryOnly: Bool

    /// Parses `text`; `nil` for an empty pattern (or one that is only slashes).
    public init?(_ text: String) {
        var body = text.trimmingCharacters(in: .whitespaces)
        self.text = body
        directoryOnly = body.hasSuffix("/")
        while body.hasSuffix("/") { body.removeLast() }
        let anchored = body.hasPrefix("/") || body.dropFirst().contains("/")
        while body.hasPrefix("/") { body.removeFirst() }
        if body.hasPrefix("./") { body.removeFirst(2) }
        let parts = body.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty else { return nil }
        components = anchored ? parts : ["**"] + parts
    }

    public var description: String { text }

    /// True when `path` (repository-relative, `/`-separated) or one of its parent folders
    /// matches. `isDirectory` says whether `path` itself is a folder.
    public func matches(_ path: String, isDirectory: Bool = false) -> Bool {
        let names = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !names.isEmpty else { return false }
        // Prefixes of `names` that are folders: every proper prefix, and the path itself when it is one.
        let lengths = directoryOnly ? (isDirectory ? 1...names.count : 1...max(1, names.count - 1)) : 1...names.count
        if directoryOnly, !isDirectory, names.count == 1 { return false }
        return ends(pattern: 0, name: 0, names: names).contains { lengths.contains($0) }
    }

    /// Every number of leading `names` the pattern from component `pattern` on can consume,
    /// starting at `name`.
    private func ends(pattern: Int, name: Int, names: [String]) -> Set<Int> {
        guard pattern < components.count else { return [name] }
        let component = components[pattern]
        if component == "**" {
            // A trailing `**` ("a/**") matches what is inside, not the folder itself.
            let first = pattern == components.count - 1 ? name + 1 : name
            guard first <= names.count else { return [] }
            var result: Set<Int> = []
            for start in first...names.count {
                result.formUnion(ends(pattern: pattern + 1, name: start, names: names))
            }
            return result
        }
        guard name < names.count, fnmatch(component, names[name], Self.fnmatchFlags) == 0 else { return [] }
        return ends(pattern: pattern + 1, name: name + 1, names: names)
    }

    /// fnmatch flags: none, so a leading dot is matched by `*` as in `.gitignore` (`*.env` and
    /// `.env*` both behave as written).
    private static let fnmatchFlags: Int32 = 0
}

/// A list of path patterns; a path matches when any of them does.
public struct PathPatternList: Sendable, Hashable {
    /// The patterns, in the order given.
    public var patterns: [PathPattern]

    /// Parses `texts`, skipping empty entries.
    public init(_ texts: [String]) {
        patterns = texts.compactMap(PathPattern.init)
    }

    /// The first pattern matching `path`, or `nil`.
    public func firstMatch(_ path: String, isDirectory: Bool = false) -> PathPattern? {
        patterns.first { $0.matches(path, isDirectory: isDirectory) }
    }

    /// True when no pattern is given.
    public var isEmpty: Bool { patterns.isEmpty }
}
