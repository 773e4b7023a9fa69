/// Writes `git diff`-style unified patches for file changes, header lines in git's order
/// (`diff --git`, mode lines, similarity/rename/copy, `index`, `---`/`+++`, hunks), so the text
/// applies with `git apply` and reads like git's own output.
enum PatchRenderer {
    private static let abbreviation = 7

    /// The patch of one file; a type change becomes a deletion followed by a creation, as in git.
    static func render(_ change: FileChange, quotePath: Bool, into out: inout [UInt8]) {
        if change.status == .typeChanged {
            let removalHunks = change.hunks.filter { $0.newStart == 0 && $0.newLines == 0 && $0.oldLines > 0 }
            let additionHunks = change.hunks.filter { !($0.newStart == 0 && $0.newLines == 0 && $0.oldLines > 0) }
            var removal = change
            removal.status = .deleted
            removal.newPath = nil
            removal.newMode = nil
            removal.newID = nil
            removal.hunks = removalHunks
            var addition = change
            addition.status = .added
            addition.oldPath = nil
            addition.oldMode = nil
            addition.oldID = nil
            addition.hunks = additionHunks
            renderSingle(removal, quotePath: quotePath, into: &out)
            renderSingle(addition, quotePath: quotePath, into: &out)
        } else {
            renderSingle(change, quotePath: quotePath, into: &out)
        }
    }

    private static func renderSingle(_ change: FileChange, quotePath: Bool, into out: inout [UInt8]) {
        let oldName = change.oldPath ?? change.newPath ?? ""
        let newName = change.newPath ?? change.oldPath ?? ""
        let aLabel = GitPathFormatting.quoted(oldName, prefix: "a/", quotePath: quotePath)
        let bLabel = GitPathFormatting.quoted(newName, prefix: "b/", quotePath: quotePath)
        var header = "diff --git \(aLabel) \(bLabel)\n"
        switch change.status {
        case .added:
            header += "new file mode \(change.newMode ?? .regular)\n"
        case .deleted:
            header += "deleted file mode \(change.oldMode ?? .regular)\n"
        default:
            if let oldMode = change.oldMode, let newMode = change.newMode, oldMode != newMode {
                header += "old mode \(oldMode)\nnew mode \(newMode)\n"
            }
        }
        switch change.status {
        case .renamed(let similarity):
            header += "similarity index \(similarity)%\n"
            header += "rename from \(GitPathFormatting.quoted(oldName, quotePath: quotePath))\n"
            header += "rename to \(GitPathFormatting.quoted(newName, quotePath: quotePath))\n"
        case .copied(let similarity):
            header += "similarity index \(similarity)%\n"
            header += "copy from \(GitPathFormatting.quoted(oldName, quotePath: quotePath))\n"
            header += "copy to \(GitPathFormatting.quoted(newName, quotePath: quotePath))\n"
        default:
            break
        }
        if change.oldID != change.newID {
            let zero = String(repeating: "0", count: abbreviation)
            let oldID = change.oldID.map { String($0.hex.prefix(abbreviation)) } ?? zero
            let newID = change.newID.map { String($0.hex.prefix(abbreviation)) } ?? zero
            header += "index \(oldID)..\(newID)"
            if let oldMode = change.oldMode, oldMode == change.newMode { header += " \(oldMode)" }
            header += "\n"
        }
        let fromLabel = change.oldPath == nil ? "/dev/null" : aLabel
        let toLabel = change.newPath == nil ? "/dev/null" : bLabel
        if change.isBinary, change.oldID != change.newID {
            header += "Binary files \(fromLabel) and \(toLabel) differ\n"
        } else if !change.hunks.isEmpty {
            // git ends a label containing a space with a tab so `patch` can find the name's end.
            header += "--- \(fromLabel)\(fromLabel.contains(" ") ? "\t" : "")\n"
            header += "+++ \(toLabel)\(toLabel.contains(" ") ? "\t" : "")\n"
        }
        out.append(contentsOf: Array(header.utf8))
        for hunk in change.hunks {
            hunk.render(into: &out)
        }
    }
}

extension FileChange {
    /// This file's unified patch as bytes (exact file content, also for non-UTF-8 text).
    public func patchData(quotePath: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        PatchRenderer.render(self, quotePath: quotePath, into: &out)
        return out
    }

    /// This file's unified patch as text (invalid UTF-8 replaced; use `patchData` to apply).
    public func patch(quotePath: Bool = true) -> String {
        String(decoding: patchData(quotePath: quotePath), as: UTF8.self)
    }
}

extension TreeDiff {
    /// The whole unified patch as bytes, like `git diff -M` (applies with `git apply`).
    public var patchData: [UInt8] {
        var out: [UInt8] = []
        for file in files { PatchRenderer.render(file, quotePath: quotePath, into: &out) }
        return out
    }

    /// The whole unified patch as text (invalid UTF-8 replaced; use `patchData` to apply).
    public var patch: String { String(decoding: patchData, as: UTF8.self) }
}
