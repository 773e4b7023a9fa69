import Foundation

/// Replays an `OperationRecord` backwards (`mg undo`).
public struct OperationReverter: Sendable {
    public let repositoryRoot: String

    public init(repositoryRoot: String) {
        self.repositoryRoot = repositoryRoot
    }

    /// What `undo` did.
    public enum Outcome: Sendable, Hashable {
        /// The operation was reverted.
        case reverted
        /// Everything the operation writes is still (or again) as it was before it: it never
        /// landed (mg stopped between logging it and carrying it out) or was reverted by hand.
        /// Nothing was changed.
        case neverLanded
    }

    /// Where the repository stands against `record` — what `undo` would do, without doing it.
    public enum Standing: Sendable, Hashable {
        /// Everything is as the operation left it: `undo` reverts it.
        case asLeft
        /// Everything is as it was before the operation: `undo` changes nothing (`.neverLanded`).
        case asBefore
        /// Something changed since: `undo` refuses; `reason` names the first difference.
        case changedSince(reason: String)
    }

    /// Checks `record` against the repository (refs, index entries, files).
    public func standing(of record: OperationRecord) throws(GitWorkspaceError) -> Standing {
        try standing(of: record, applier: ChangeApplier(repository: Repository.open(at: repositoryRoot)))
    }

    private func standing(of record: OperationRecord, applier: ChangeApplier) throws(GitWorkspaceError) -> Standing {
        let reversed = Self.reversed(record)
        guard
            let mismatch = try applier.verify(
                files: reversed.files, index: reversed.index, refs: reversed.refs, outside: reversed.outside)
        else { return .asLeft }
        let outside = record.outsideUpdates ?? []
        let changesSomething =
            !record.fileUpdates.isEmpty || !record.indexUpdates.isEmpty || !record.refUpdates.isEmpty
            || !outside.isEmpty
        if changesSomething,
            try applier.verify(
                files: record.fileUpdates, index: record.indexUpdates, refs: record.refUpdates,
                outside: outside) == nil
        {
            return .asBefore
        }
        return .changedSince(reason: mismatch.reason)
    }

    private static func reversed(_ record: OperationRecord) -> (
        files: [OperationRecord.PathUpdate], index: [OperationRecord.PathUpdate],
        refs: [OperationRecord.RefUpdate],
        outside: [OperationRecord.OutsideUpdate]
    ) {
        (
            record.fileUpdates.map(\.reversed),
            record.indexUpdates.map(\.reversed),
            record.refUpdates.map { OperationRecord.RefUpdate(name: $0.name, old: $0.new, new: $0.old) },
            (record.outsideUpdates ?? []).map {
                OperationRecord.OutsideUpdate(folder: $0.folder, update: $0.update.reversed)
            }
        )
    }

    /// Repairs what a change that failed half-way — or an undo of it that did — left behind:
    /// every ref, index entry and file of `record` still holding its *after* state gets its
    /// *before* state back; those already in their before state stay as they are. Anything in
    /// neither state was changed by someone since: then nothing is changed and it refuses.
    @discardableResult
    public func repair(_ record: OperationRecord) throws(GitWorkspaceError) -> Outcome {
        let repository = try Repository.open(at: repositoryRoot)
        let workingTree = WorkingTreeFiles(repository)
        var files: [OperationRecord.PathUpdate] = []
        var index: [OperationRecord.PathUpdate] = []
        var refs: [OperationRecord.RefUpdate] = []
        var outside: [OperationRecord.OutsideUpdate] = []
        var changedSince: [String] = []
        for file in record.outsideUpdates ?? [] {
            let files = WorkingTreeFiles(repository, outsideFolder: file.folder)
            if try files.matches(file.update.path, file.update.before) { continue }
            if try files.matches(file.update.path, file.update.after) {
                outside.append(
                    OperationRecord.OutsideUpdate(folder: file.folder, update: file.update.reversed))
            } else {
                changedSince.append(file.fullPath)
            }
        }
        for file in record.fileUpdates where !(try workingTree.matches(file.path, file.before)) {
            if try workingTree.matches(file.path, file.after) {
                files.append(file.reversed)
            } else {
                changedSince.append(file.path)
            }
        }
        if !record.indexUpdates.isEmpty {
            let userIndex = try UserIndex(repository)
            for entry in record.indexUpdates where userIndex.entry(entry.path) != entry.before {
                if userIndex.entry(entry.path) == entry.after {
                    index.append(entry.reversed)
                } else {
                    changedSince.append("\(entry.path) (index)")
                }
            }
        }
        for ref in record.refUpdates {
            let current = ref.name == "HEAD" ? try repository.head().commit : try repository.resolve(reference: ref.name)
            if current == ref.old { continue }
            if current == ref.new {
                refs.append(OperationRecord.RefUpdate(name: ref.name, old: ref.new, new: ref.old))
            } else {
                changedSince.append(ref.name)
            }
        }
        guard changedSince.isEmpty else {
            throw .undoRefused(
                reason: "these were changed since (\(record.summary)), so mg cannot tell what to put back: "
                    + changedSince.joined(separator: ", "))
        }
        if files.isEmpty && index.isEmpty && refs.isEmpty && outside.isEmpty { return .neverLanded }
        try ChangeApplier(repository: repository).apply(
            files: files, index: index, refs: refs, outside: outside)
        return .reverted
    }

    /// Restores refs, index entries and files to their state before `record`, after checking
    /// they are still exactly as the operation left them; otherwise refuses and changes nothing.
    /// Removed worktrees are re-created on their branches (which kept the work). An operation
    /// whose refs, index entries and files all still hold their *before* state never landed:
    /// nothing is changed and `.neverLanded` says so.
    @discardableResult
    public func undo(_ record: OperationRecord) throws(GitWorkspaceError) -> Outcome {
        let repository = try Repository.open(at: repositoryRoot)
        let applier = ChangeApplier(repository: repository)
        switch try standing(of: record, applier: applier) {
        case .asLeft: break
        case .asBefore: return .neverLanded
        case .changedSince(let reason): throw .undoRefused(reason: reason + " (after: \(record.summary))")
        }
        let (files, index, refs, outside) = Self.reversed(record)
        try applier.apply(files: files, index: index, refs: refs, outside: outside)
        for worktree in record.removedWorktrees {
            // An interrupted clean may not have removed every worktree it planned to.
            if FileManager.default.fileExists(atPath: worktree.path + "/.git") { continue }
            guard try repository.resolve(reference: worktree.branch) != nil else {
                throw .undoRefused(reason: "the branch \(worktree.branch) no longer exists")
            }
            // The branch kept the work: re-create the worktree on it.
            _ = try repository.addWorktree(
                name: worktree.adminName, path: worktree.path,
                branch: AgentWorktree.branchName(session: worktree.session, agent: worktree.agent), at: nil)
        }
        return .reverted
    }
}
