/// Rewrites references to agent worktrees in text to repository-relative form, so history and
/// prompts say `src/x.swift`, never `/repo/.massgen/workspaces/<session>/<agent>/src/x.swift`.
///
/// A reference is a path token containing `.massgen/workspaces/<session>/<agent>`: either
/// relative (`.massgen/…`, `./.massgen/…`) or with any prefix ending in `/` (the repository
/// root, a symlinked or `/private` spelling of it, a `file://` URL). The token starts after
/// whitespace, a quote or bracket, `=`, `,` or `;`. Everything from the token start through
/// `<agent>/` is removed; a bare worktree root (`…/<agent>` followed by a delimiter or `:`)
/// becomes `.`. Text like `foo.massgen/workspaces/…` or `.massgen/workspaces/<session>` (no
/// agent) is left alone.
public struct WorktreePathNormalizer: Sendable, Hashable {
    /// The repository root, for documentation and callers; matching does not depend on it, so
    /// other spellings of the same root are normalized too.
    public var repositoryRoot: String?

    /// Creates a normalizer.
    public init(repositoryRoot: String? = nil) {
        self.repositoryRoot = repositoryRoot
    }

    private static let marker = Array(".massgen/workspaces/".utf8)
    private static let delimiters: Set<UInt8> = Set(" \t\r\n\"'`()[]{}<>=,;|".utf8)

    /// `text` with every agent-worktree reference made repository-relative.
    public func normalize(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let marker = Self.marker
        guard bytes.count >= marker.count else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var copied = 0  // bytes[..<copied] are already in output
        var index = 0
        while index + marker.count <= bytes.count {
            guard bytes[index] == marker[0], bytes[index..<(index + marker.count)].elementsEqual(marker) else {
                index += 1
                continue
            }
            guard let replacement = rewrite(bytes, markerAt: index, copiedUpTo: copied) else {
                index += 1
                continue
            }
            output.append(contentsOf: bytes[copied..<replacement.tokenStart])
            output.append(contentsOf: replacement.text)
            copied = replacement.resumeAt
            index = replacement.resumeAt
        }
        guard copied > 0 else { return text }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    /// Normalizes every string of an array (e.g. a list of paths).
    public func normalize(_ texts: [String]) -> [String] { texts.map(normalize) }

    private struct Replacement {
        var tokenStart: Int
        var text: [UInt8]
        var resumeAt: Int
    }

    private func rewrite(_ bytes: [UInt8], markerAt index: Int, copiedUpTo copied: Int) -> Replacement? {
        // The character before `.massgen` must end a path prefix (`/`) or start the token.
        if index > 0 {
            let before = bytes[index - 1]
            guard before == UInt8(ascii: "/") || Self.delimiters.contains(before) else { return nil }
        }
        var tokenStart = index
        while tokenStart > copied, !Self.delimiters.contains(bytes[tokenStart - 1]) {
            tokenStart -= 1
        }
        var cursor = index + Self.marker.count
        guard let sessionEnd = segmentEnd(bytes, from: cursor), sessionEnd < bytes.count,
            bytes[sessionEnd] == UInt8(ascii: "/")
        else { return nil }
        cursor = sessionEnd + 1
        guard let agentEnd = segmentEnd(bytes, from: cursor) else { return nil }
        if agentEnd < bytes.count, bytes[agentEnd] == UInt8(ascii: "/") {
            // `…/<agent>/rest`: keep `rest`; `…/<agent>/` alone means the worktree root.
            let restStart = agentEnd + 1
            let restIsEmpty = restStart >= bytes.count || Self.delimiters.contains(bytes[restStart])
            return Replacement(tokenStart: tokenStart, text: restIsEmpty ? Array(".".utf8) : [], resumeAt: restStart)
        }
        return Replacement(tokenStart: tokenStart, text: Array(".".utf8), resumeAt: agentEnd)
    }

    /// The end of a non-empty path segment starting at `start` (stops at `/`, `:` or a
    /// delimiter); `nil` when the segment is empty.
    private func segmentEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: ":"),
            !Self.delimiters.contains(bytes[end])
        {
            end += 1
        }
        return end > start ? end : nil
    }
}
