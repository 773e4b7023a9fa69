import Foundation

/// Rewrites a run folder's absolute path (as given and with symlinks resolved) out of a
/// command's output: `<folder>/x.py` becomes `x.py`, the folder itself `.`.
public struct RunFolderPaths: Sendable {
    let spellings: [String]

    /// The stripper for `folder`.
    public init(folder: String) {
        var spellings = [folder]
        if let real = realpath(folder, nil) {
            let resolved = String(cString: real)
            free(real)
            if resolved != folder { spellings.append(resolved) }
        }
        // Longest first, so a spelling that contains another is replaced whole.
        self.spellings = spellings.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            .sorted { $0.count > $1.count }
    }

    /// `text` without the folder's path.
    public func strip(_ text: String) -> String {
        var out = text
        for spelling in spellings where !spelling.isEmpty && out.contains(spelling) {
            out = Self.strip(spelling, from: out)
        }
        return out
    }

    /// Replaces `<folder>/` by nothing and a bare `<folder>` by `.`; a longer name that merely
    /// starts with the folder's (`…/agent10` for `…/agent1`) is left alone.
    private static func strip(_ folder: String, from text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: folder) {
            out += rest[..<range.lowerBound]
            let after = rest[range.upperBound...]
            if after.first == "/" {
                rest = after.dropFirst()
            } else if let next = after.first, next.isLetter || next.isNumber || "._-".contains(next) {
                out += folder
                rest = after
            } else {
                out += "."
                rest = after
            }
        }
        return out + rest
    }
}
