import CLibGit2
import Foundation

/// One entry of a tree-to-tree comparison before rename pairing: what libgit2's tree walk sees.
///
/// Rename and copy detection happen afterwards in Swift (`RenameDetector`), with git's own
/// algorithm, because libgit2's similarity metric and pairing differ from git's and mg must
/// agree with `git diff -M` to the percent.
struct RawTreeChange: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case added, deleted, modified, typeChanged
    }

    var kind: Kind
    var path: String
    /// `nil` for an added path.
    var oldID: ObjectID?
    /// `nil` for a deleted path.
    var newID: ObjectID?
    /// `nil` for an added path.
    var oldMode: FileMode?
    /// `nil` for a deleted path.
    var newMode: FileMode?
}

/// The line-level comparison of two buffers, as xdiff (shared by git and libgit2) computes it.
struct RawLinePatch: Sendable {
    var hunks: [DiffHunk]
    var additions: Int
    var deletions: Int
}

extension Repository {
    /// The tree a commit or tree id stands for; `nil` (the empty tree) stays `nil`.
    func peeledTree(_ id: ObjectID?) throws(GitWorkspaceError) -> ObjectID? {
        guard let id, id != ObjectID.emptyTree else { return nil }
        var oid = id.raw
        var object: OpaquePointer?
        try LibGit2.check(git_object_lookup(&object, handle, &oid, GIT_OBJECT_ANY), "look up \(id.short)")
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try LibGit2.check(git_object_peel(&peeled, object, GIT_OBJECT_TREE), "peel \(id.short) to a tree")
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled))
    }

    /// Every path whose entry differs between two trees (`nil` = the empty tree), in git's path
    /// order, with file↔symlink/submodule changes reported as one `typeChanged` entry like git's `T`.
    ///
    /// A merge walk over both trees that skips subtrees whose ids are equal, as git's own tree
    /// diff does, so the cost follows the size of the change, not of the repository (libgit2's
    /// `git_diff_tree_to_tree` visits every entry of both trees).
    func rawTreeChanges(from oldTree: ObjectID?, to newTree: ObjectID?) throws(GitWorkspaceError) -> [RawTreeChange] {
        if oldTree == newTree { return [] }
        let old = try diffTreeObject(oldTree)
        defer { git_tree_free(old) }
        let new = try diffTreeObject(newTree)
        defer { git_tree_free(new) }
        var changes: [RawTreeChange] = []
        try walk(old, new, prefix: "", into: &changes)
        return changes
    }

    /// One entry of a tree, read out of libgit2 (tree walks: diffs, listings).
    struct WalkEntry {
        var name: [UInt8]
        var id: git_oid
        var mode: FileMode
        var isTree: Bool { mode.isDirectory }
        /// The name as text (invalid UTF-8 replaced).
        var text: String { String(decoding: name, as: UTF8.self) }
    }

    /// A tree's entries in git's order.
    static func entries(of tree: OpaquePointer?) -> [WalkEntry] {
        guard let tree else { return [] }
        let count = git_tree_entrycount(tree)
        var result: [WalkEntry] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, index), let name = git_tree_entry_name(entry),
                let id = git_tree_entry_id(entry)
            else { continue }
            let bytes = UnsafeRawBufferPointer(start: name, count: strlen(name))
            result.append(
                WalkEntry(name: [UInt8](bytes), id: id.pointee, mode: FileMode(rawValue: git_tree_entry_filemode(entry).rawValue)))
        }
        return result
    }

    /// git's tree order (`base_name_compare`): names compare bytewise, a tree as if it ended in "/".
    private static func precedes(_ a: WalkEntry, _ b: WalkEntry) -> Bool? {
        let count = min(a.name.count, b.name.count)
        for index in 0..<count where a.name[index] != b.name[index] {
            return a.name[index] < b.name[index]
        }
        let nextA: UInt8 = a.name.count > count ? a.name[count] : (a.isTree ? 0x2F : 0)
        let nextB: UInt8 = b.name.count > count ? b.name[count] : (b.isTree ? 0x2F : 0)
        return nextA == nextB ? nil : nextA < nextB
    }

    private func walk(
        _ old: OpaquePointer?, _ new: OpaquePointer?, prefix: String, into changes: inout [RawTreeChange]
    ) throws(GitWorkspaceError) {
        let oldEntries = Self.entries(of: old)
        let newEntries = Self.entries(of: new)
        var i = 0
        var j = 0
        while i < oldEntries.count || j < newEntries.count {
            let order: Bool?
            if i == oldEntries.count {
                order = false
            } else if j == newEntries.count {
                order = true
            } else {
                order = Self.precedes(oldEntries[i], newEntries[j])
            }
            switch order {
            case .some(true):
                try emit(old: oldEntries[i], new: nil, prefix: prefix, into: &changes)
                i += 1
            case .some(false):
                try emit(old: nil, new: newEntries[j], prefix: prefix, into: &changes)
                j += 1
            case .none:
                var a = oldEntries[i]
                var b = newEntries[j]
                if a.mode != b.mode || git_oid_equal(&a.id, &b.id) == 0 {
                    try emit(old: a, new: b, prefix: prefix, into: &changes)
                }
                i += 1
                j += 1
            }
        }
    }

    /// Records one differing entry (recursing into trees that appear, vanish or differ).
    private func emit(
        old: WalkEntry?, new: WalkEntry?, prefix: String, into changes: inout [RawTreeChange]
    ) throws(GitWorkspaceError) {
        let entry = new ?? old
        guard let entry else { return }
        let path = prefix + String(decoding: entry.name, as: UTF8.self)
        if entry.isTree {
            let oldTree = try old.map { value throws(GitWorkspaceError) in try diffTreeObject(ObjectID(value.id)) }
            defer { if let oldTree { git_tree_free(oldTree) } }
            let newTree = try new.map { value throws(GitWorkspaceError) in try diffTreeObject(ObjectID(value.id)) }
            defer { if let newTree { git_tree_free(newTree) } }
            try walk(oldTree ?? nil, newTree ?? nil, prefix: path + "/", into: &changes)
            return
        }
        let kind: RawTreeChange.Kind
        if old == nil {
            kind = .added
        } else if new == nil {
            kind = .deleted
        } else if let old, let new, !old.mode.hasSameType(as: new.mode) {
            kind = .typeChanged
        } else {
            kind = .modified
        }
        changes.append(
            RawTreeChange(
                kind: kind, path: path, oldID: old.map { ObjectID($0.id) }, newID: new.map { ObjectID($0.id) },
                oldMode: old?.mode, newMode: new?.mode))
    }

    private func diffTreeObject(_ id: ObjectID?) throws(GitWorkspaceError) -> OpaquePointer? {
        guard let id else { return nil }
        var oid = id.raw
        var tree: OpaquePointer?
        try LibGit2.check(git_tree_lookup(&tree, handle, &oid), "read tree \(id.short)")
        return tree
    }

    /// The bytes of a blob (`nil` → empty), copied out of libgit2's object cache.
    func blobBytes(_ id: ObjectID?) throws(GitWorkspaceError) -> [UInt8] {
        guard let id else { return [] }
        var blob: OpaquePointer?
        var oid = id.raw
        try LibGit2.check(git_blob_lookup(&blob, handle, &oid), "read blob \(id.short)")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// Line diff of two text buffers with `contextLines` of context (git's default is 3), using
    /// the indent heuristic git enables by default so hunks fall where git puts them.
    static func linePatch(
        old: [UInt8], oldPath: String, new: [UInt8], newPath: String, contextLines: Int
    ) throws(GitWorkspaceError) -> RawLinePatch {
        LibGit2.ensureInitialized()
        var options = git_diff_options()
        try LibGit2.check(mg_git_diff_options_init(&options), "initialise diff options")
        // The caller has already decided the content is text, exactly as git decides it.
        options.flags = GIT_DIFF_FORCE_TEXT.rawValue | GIT_DIFF_INDENT_HEURISTIC.rawValue
        options.context_lines = UInt32(max(0, contextLines))
        options.interhunk_lines = 0
        var patch: OpaquePointer?
        let rc = old.withUnsafeBytes { oldBytes in
            new.withUnsafeBytes { newBytes in
                git_patch_from_buffers(
                    &patch, oldBytes.baseAddress, oldBytes.count, oldPath,
                    newBytes.baseAddress, newBytes.count, newPath, &options)
            }
        }
        try LibGit2.check(rc, "diff \(newPath)")
        defer { git_patch_free(patch) }
        var result = RawLinePatch(hunks: [], additions: 0, deletions: 0)
        let hunkCount = git_patch_num_hunks(patch)
        result.hunks.reserveCapacity(hunkCount)
        for hunkIndex in 0..<hunkCount {
            var hunkPointer: UnsafePointer<git_diff_hunk>?
            var lineCount = 0
            try LibGit2.check(
                git_patch_get_hunk(&hunkPointer, &lineCount, patch, hunkIndex), "read hunk of \(newPath)")
            guard let raw = hunkPointer?.pointee else { continue }
            var lines: [DiffLine] = []
            lines.reserveCapacity(lineCount)
            for lineIndex in 0..<lineCount {
                var linePointer: UnsafePointer<git_diff_line>?
                try LibGit2.check(
                    git_patch_get_line_in_hunk(&linePointer, patch, hunkIndex, lineIndex),
                    "read line of \(newPath)")
                guard let line = linePointer?.pointee else { continue }
                let kind: DiffLine.Kind
                switch UInt32(UInt8(bitPattern: line.origin)) {
                case GIT_DIFF_LINE_ADDITION.rawValue: kind = .addition; result.additions += 1
                case GIT_DIFF_LINE_DELETION.rawValue: kind = .deletion; result.deletions += 1
                case GIT_DIFF_LINE_CONTEXT.rawValue: kind = .context
                default:
                    // The *_EOFNL origins only repeat that the previous line had no final newline.
                    continue
                }
                var bytes = [UInt8](
                    UnsafeRawBufferPointer(start: line.content, count: Int(line.content_len)))
                let hasNewline = bytes.last == 0x0A
                if hasNewline { bytes.removeLast() }
                lines.append(DiffLine(kind: kind, bytes: bytes, hasNewline: hasNewline))
            }
            result.hunks.append(
                DiffHunk(
                    oldStart: Int(raw.old_start), oldLines: Int(raw.old_lines),
                    newStart: Int(raw.new_start), newLines: Int(raw.new_lines),
                    section: Self.hunkSection(raw), lines: lines))
        }
        return result
    }

    /// The function-context text after the second `@@` of libgit2's hunk header.
    private static func hunkSection(_ hunk: git_diff_hunk) -> String {
        var header = hunk.header
        let length = min(Int(hunk.header_len), 128)
        let bytes = withUnsafeBytes(of: &header) { [UInt8]($0.prefix(length)) }
        // "@@ -a,b +c,d @@ section\n": skip the opening "@@", find the closing one.
        var index = 2
        while index + 1 < bytes.count, !(bytes[index] == 0x40 && bytes[index + 1] == 0x40) { index += 1 }
        guard index + 2 < bytes.count else { return "" }
        // Trim ASCII blanks by hand: Foundation's trimming bridges through NSString per hunk.
        var section = bytes[(index + 2)...]
        while let first = section.first, first == 0x20 || first == 0x09 { section = section.dropFirst() }
        while let last = section.last, last == 0x0A || last == 0x0D || last == 0x20 || last == 0x09 {
            section = section.dropLast()
        }
        return String(decoding: section, as: UTF8.self)
    }
}
