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
    /// 0 for an added path.
    var oldMode: UInt32
    /// 0 for a deleted path.
    var newMode: UInt32
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
    func rawTreeChanges(from oldTree: ObjectID?, to newTree: ObjectID?) throws(GitWorkspaceError) -> [RawTreeChange] {
        let oldObject = try diffTreeObject(oldTree)
        defer { git_tree_free(oldObject) }
        let newObject = try diffTreeObject(newTree)
        defer { git_tree_free(newObject) }
        var options = git_diff_options()
        try LibGit2.check(mg_git_diff_options_init(&options), "initialise diff options")
        // Without INCLUDE_TYPECHANGE libgit2 splits a file→symlink change into delete + add,
        // which git does not; submodules are compared by their recorded commit, as git does.
        options.flags = GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        options.ignore_submodules = GIT_SUBMODULE_IGNORE_NONE
        var diff: OpaquePointer?
        try LibGit2.check(
            git_diff_tree_to_tree(&diff, handle, oldObject, newObject, &options), "compare trees")
        defer { git_diff_free(diff) }
        var changes: [RawTreeChange] = []
        let count = git_diff_num_deltas(diff)
        changes.reserveCapacity(count)
        for index in 0..<count {
            guard let delta = git_diff_get_delta(diff, index)?.pointee else { continue }
            let kind: RawTreeChange.Kind
            switch delta.status {
            case GIT_DELTA_ADDED: kind = .added
            case GIT_DELTA_DELETED: kind = .deleted
            case GIT_DELTA_TYPECHANGE: kind = .typeChanged
            default: kind = .modified
            }
            let pathPointer = kind == .deleted ? delta.old_file.path : delta.new_file.path
            changes.append(
                RawTreeChange(
                    kind: kind, path: pathPointer.map { String(cString: $0) } ?? "",
                    oldID: kind == .added ? nil : ObjectID(delta.old_file.id),
                    newID: kind == .deleted ? nil : ObjectID(delta.new_file.id),
                    oldMode: kind == .added ? 0 : UInt32(delta.old_file.mode),
                    newMode: kind == .deleted ? 0 : UInt32(delta.new_file.mode)))
        }
        return changes
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
        let text = String(decoding: bytes[(index + 2)...], as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
