import CLibGit2

extension Repository {
    /// Points `name` at `target` only if it still points at `expected` (compare-and-swap).
    ///
    /// `expected == nil` creates the ref and fails if it already exists. On a mismatch nothing
    /// changes and `.referenceMoved` says what was found.
    public func updateReference(
        _ name: String, to target: ObjectID, expecting expected: ObjectID?, message: String
    ) throws(GitWorkspaceError) {
        var ref: OpaquePointer?
        var newID = target.raw
        let rc: Int32
        if let expected {
            var current = expected.raw
            rc = git_reference_create_matching(&ref, handle, name, &newID, 1, &current, message)
        } else {
            rc = git_reference_create(&ref, handle, name, &newID, 0, message)
        }
        defer { git_reference_free(ref) }
        if rc == GIT_EMODIFIED.rawValue || rc == GIT_EEXISTS.rawValue {
            let actual = (try? resolve(reference: name))??.hex ?? "nothing"
            throw .referenceMoved(name: name, expected: expected?.hex ?? "no ref", actual: actual)
        }
        try LibGit2.check(rc, "update \(name)")
    }

    /// Moves a detached HEAD from `expected` to `target` (compare-and-swap by re-reading HEAD).
    public func updateDetachedHead(to target: ObjectID, expecting expected: ObjectID) throws(GitWorkspaceError) {
        guard case .detached(let current) = try head(), current == expected else {
            let actual = (try? head())?.commit?.hex ?? "unborn"
            throw .referenceMoved(name: "HEAD", expected: expected.hex, actual: actual)
        }
        var oid = target.raw
        try LibGit2.check(git_repository_set_head_detached(handle, &oid), "move detached HEAD")
    }

    /// Deletes `name` only if it still points at `expected`.
    public func deleteReference(_ name: String, expecting expected: ObjectID) throws(GitWorkspaceError) {
        var ref: OpaquePointer?
        try LibGit2.check(git_reference_lookup(&ref, handle, name), "look up \(name)")
        defer { git_reference_free(ref) }
        guard let ref, let target = git_reference_target(ref), ObjectID(target) == expected else {
            let actual = (try? resolve(reference: name))??.hex ?? "nothing"
            throw .referenceMoved(name: name, expected: expected.hex, actual: actual)
        }
        let rc = git_reference_delete(ref)
        if rc == GIT_EMODIFIED.rawValue {
            throw .referenceMoved(name: name, expected: expected.hex, actual: "a newer value")
        }
        try LibGit2.check(rc, "delete \(name)")
    }

    /// True when `ancestor` is reachable from `descendant` (or equal to it).
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws(GitWorkspaceError) -> Bool {
        if ancestor == descendant { return true }
        var a = descendant.raw
        var b = ancestor.raw
        let rc = git_graph_descendant_of(handle, &a, &b)
        try LibGit2.check(rc, "check ancestry")
        return rc == 1
    }

    /// The best common ancestor of two commits, `nil` when they share no history.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws(GitWorkspaceError) -> ObjectID? {
        var out = git_oid()
        var one = a.raw
        var two = b.raw
        let rc = git_merge_base(&out, handle, &one, &two)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try LibGit2.check(rc, "find merge base")
        return ObjectID(out)
    }

    /// True when `id` names an object in this repository's object database.
    public func containsObject(_ id: ObjectID) -> Bool {
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0 else { return false }
        defer { git_odb_free(odb) }
        var oid = id.raw
        return git_odb_exists(odb, &oid) == 1
    }
}
