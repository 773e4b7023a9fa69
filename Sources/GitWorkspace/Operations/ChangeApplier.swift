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

    /// Verifies that files, index entries, refs and files outside the repository are in their
    /// `before`/`old` state.
    func verify(
        files: [OperationRecord.PathUpdate], index: [OperationRecord.PathUpdate],
        refs: [OperationRecord.RefUpdate],
        outside: [OperationRecord.OutsideUpdate] = []
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
        var changedOutside: [String] = []
        for file in outside
        where
            !(try WorkingTreeFiles(repository, outsideFolder: file.folder).matches(
                file.update.path, file.update.before))
        {
            changedOutside.append(file.fullPath)
        }
        if !changedOutside.isEmpty {
            return Mismatch(
                reason:
                    "these files outside the repository were changed since: \(changedOutside.joined(separator: ", "))",
                paths: changedOutside)
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

    /// Writes files, then the index, then the refs. On failure it rolls back everything it had
    /// written, in reverse; when a rollback step fails too, it throws `.rollbackFailed` naming
    /// what may still hold the change (the transaction keeps the journal entry for `mg undo`).
    func apply(
        files: [OperationRecord.PathUpdate], index: [OperationRecord.PathUpdate],
        refs: [OperationRecord.RefUpdate],
        outside: [OperationRecord.OutsideUpdate] = []
    ) throws(GitWorkspaceError) {
        let workingTree = WorkingTreeFiles(repository)
        var written: [OperationRecord.PathUpdate] = []
        var writtenOutside: [OperationRecord.OutsideUpdate] = []
        var indexWritten = false
        var moved: [OperationRecord.RefUpdate] = []
        do throws(GitWorkspaceError) {
            for file in files {
                written.append(file)
                try FaultPoint.failIfArmed("apply-file")
                try workingTree.write(file.path, file.after)
            }
            for file in outside {
                writtenOutside.append(file)
                try FaultPoint.failIfArmed("apply-file")
                try WorkingTreeFiles(repository, outsideFolder: file.folder).write(
                    file.update.path, file.update.after)
            }
            FaultPoint.hit("after-apply-files")
            if !index.isEmpty {
                let userIndex = try UserIndex(repository)
                for entry in index { try userIndex.set(entry.path, to: entry.after) }
                try userIndex.write()
                indexWritten = true
            }
            for ref in refs {
                try FaultPoint.failIfArmed("apply-ref")
                try move(ref.name, from: ref.old, to: ref.new)
                moved.append(ref)
            }
        } catch {
            let unrepaired =
                rollBack(written: written, index: indexWritten ? index : [], moved: moved)
                + rollBack(outside: writtenOutside)
            guard unrepaired.isEmpty else { throw .rollbackFailed(problem: error.description, paths: unrepaired) }
            throw error
        }
    }

    /// Puts back refs, index entries and files in reverse order; returns what could not be put back.
    private func rollBack(
        written: [OperationRecord.PathUpdate], index: [OperationRecord.PathUpdate], moved: [OperationRecord.RefUpdate]
    ) -> [String] {
        var unrepaired: [String] = []
        for ref in moved.reversed() {
            do throws(GitWorkspaceError) {
                try move(ref.name, from: ref.new, to: ref.old)
            } catch {
                unrepaired.append(ref.name)
            }
        }
        if !index.isEmpty {
            do throws(GitWorkspaceError) {
                let userIndex = try UserIndex(repository)
                for entry in index { try userIndex.set(entry.path, to: entry.before) }
                try userIndex.write()
            } catch {
                unrepaired.append("the index (" + index.map(\.path).joined(separator: ", ") + ")")
            }
        }
        let workingTree = WorkingTreeFiles(repository)
        for file in written.reversed() {
            do throws(GitWorkspaceError) {
                try FaultPoint.failIfArmed("rollback-file")
                try workingTree.write(file.path, file.before)
            } catch {
                unrepaired.append(file.path)
            }
        }
        return unrepaired
    }

    /// Puts back files outside the repository in reverse order; returns those it could not.
    private func rollBack(outside written: [OperationRecord.OutsideUpdate]) -> [String] {
        var unrepaired: [String] = []
        for file in written.reversed() {
            do throws(GitWorkspaceError) {
                try WorkingTreeFiles(repository, outsideFolder: file.folder).write(
                    file.update.path, file.update.before)
            } catch {
                unrepaired.append(file.fullPath)
            }
        }
        return unrepaired
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
