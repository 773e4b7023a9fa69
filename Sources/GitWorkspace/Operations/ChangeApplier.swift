import Foundation

/// Applies a set of path and ref updates to the user's repository all-or-nothing:
/// every "before" state is verified first, then files, index and refs are written in that
/// order, and a failure at any step rolls the earlier steps back.
struct ChangeApplier {
    let repository: Repository

    /// Why the updates could not be applied; nothing was changed.
    struct Mismatch: Error {
        var reason: String
        var paths: [String]
    }

    /// Verifies that files, index entries and refs are in their `before`/`old` state.
    func verify(
        files: [OperationRecord.PathUpdate], index: [OperationRecord.PathUpdate], refs: [OperationRecord.RefUpdate]
    ) throws(GitWorkspaceError) -> Mismatch? {
        for ref in refs {
            let current = try currentValue(of: ref.name)
            if current != ref.old {
                return Mismatch(
                    reason: "\(displayName(ref.name)) moved: expected \(ref.old?.short ?? "no commit"), found \(current?.short ?? "no commit")",
                    paths: [])
            }
        }
        let workingTree = WorkingTreeFiles(repository)
        var changedFiles: [String] = []
        for file in files where !(try workingTree.matches(file.path, file.before)) {
            changedFiles.append(file.path)
        }
        if !changedFiles.isEmpty {
            return Mismatch(reason: "these files were changed since: \(changedFiles.joined(separator: ", "))", paths: changedFiles)
        }
        if !index.isEmpty {
            let userIndex = try UserIndex(repository)
            let staged = index.filter { userIndex.entry($0.path) != $0.before }.map(\.path)
            if !staged.isEmpty {
                return Mismatch(reason: "these files have staged changes: \(staged.joined(separator: ", "))", paths: staged)
            }
        }
        return nil
    }

    /// Writes files, then the index, then the refs; rolls back on failure.
    func apply(
        files: [OperationRecord.PathUpdate], index: [OperationRecord.PathUpdate], refs: [OperationRecord.RefUpdate]
    ) throws(GitWorkspaceError) {
        let workingTree = WorkingTreeFiles(repository)
        var written: [OperationRecord.PathUpdate] = []
        do {
            for file in files {
                written.append(file)
                try workingTree.write(file.path, file.after)
            }
            if !index.isEmpty {
                let userIndex = try UserIndex(repository)
                for entry in index { try userIndex.set(entry.path, to: entry.after) }
                try userIndex.write()
            }
        } catch {
            for file in written.reversed() { try? workingTree.write(file.path, file.before) }
            throw error
        }
        var moved: [OperationRecord.RefUpdate] = []
        do {
            for ref in refs {
                try move(ref.name, from: ref.old, to: ref.new)
                moved.append(ref)
            }
        } catch {
            for ref in moved.reversed() { try? move(ref.name, from: ref.new, to: ref.old) }
            if !index.isEmpty, let userIndex = try? UserIndex(repository) {
                for entry in index { try? userIndex.set(entry.path, to: entry.before) }
                try? userIndex.write()
            }
            for file in written.reversed() { try? workingTree.write(file.path, file.before) }
            throw error
        }
    }

    private func currentValue(of ref: String) throws(GitWorkspaceError) -> ObjectID? {
        if ref == "HEAD" { return try repository.head().commit }
        return try repository.resolve(reference: ref)
    }

    private func move(_ name: String, from old: ObjectID?, to new: ObjectID?) throws(GitWorkspaceError) {
        switch (old, new) {
        case (let old?, let new?) where name == "HEAD":
            try repository.updateDetachedHead(to: new, expecting: old)
        case (let old, let new?):
            try repository.updateReference(name, to: new, expecting: old, message: "mg: merge-back")
        case (let old?, nil):
            try repository.deleteReference(name, expecting: old)
        case (nil, nil):
            return
        }
    }

    private func displayName(_ ref: String) -> String {
        ref.hasPrefix("refs/heads/") ? "branch " + ref.dropFirst("refs/heads/".count) : ref
    }
}
