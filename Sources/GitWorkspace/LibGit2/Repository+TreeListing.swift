import CLibGit2

/// The files of a tree, as a prompt's repository overview shows them: the first paths in git
/// order, how many files there are, and how they spread over the top-level entries.
public struct TreeListing: Sendable, Hashable {
    /// One top-level entry: a file, or a folder with the number of files below it.
    public struct TopLevelEntry: Sendable, Hashable {
        /// The entry's name.
        public var name: String
        /// True for a folder (a tree).
        public var isFolder: Bool
        /// Files below a folder (1 for a file); counting stops at the listing's count limit.
        public var files: Int

        /// Creates an entry.
        public init(name: String, isFolder: Bool, files: Int) {
            self.name = name
            self.isFolder = isFolder
            self.files = files
        }
    }

    /// The first file paths (blobs, links and submodules) in git's order, at most the path limit.
    public var paths: [String]
    /// Files counted, all of them unless `countLimitReached`.
    public var totalFiles: Int
    /// True when counting stopped at the count limit: there are more than `totalFiles` files.
    public var countLimitReached: Bool
    /// The tree's own entries, in git's order.
    public var topLevel: [TopLevelEntry]

    /// Creates a listing.
    public init(paths: [String], totalFiles: Int, countLimitReached: Bool, topLevel: [TopLevelEntry]) {
        self.paths = paths
        self.totalFiles = totalFiles
        self.countLimitReached = countLimitReached
        self.topLevel = topLevel
    }

    /// True when `paths` holds every file of the tree.
    public var isComplete: Bool { !countLimitReached && paths.count == totalFiles }
}

extension Repository {
    /// Lists `tree`: the first `pathLimit` file paths, and file counts up to `countLimit` (a
    /// giant monorepo is not walked to its end for an overview). Reads only trees, never blobs.
    public func listing(
        ofTree tree: ObjectID, pathLimit: Int, countLimit: Int = 100_000
    ) throws(GitWorkspaceError) -> TreeListing {
        let root = try lookupTree(tree)
        defer { git_tree_free(root) }
        var walk = ListingWalk(pathLimit: pathLimit, countLimit: countLimit)
        var topLevel: [TreeListing.TopLevelEntry] = []
        for entry in Self.entries(of: root) {
            let before = walk.counted
            if entry.isTree {
                try walk.descend(into: entry.id, prefix: entry.text + "/", repository: self)
            } else {
                walk.add(entry.text)
            }
            topLevel.append(
                TreeListing.TopLevelEntry(name: entry.text, isFolder: entry.isTree, files: walk.counted - before))
            if walk.limitReached { break }
        }
        return TreeListing(
            paths: walk.paths, totalFiles: walk.counted, countLimitReached: walk.limitReached, topLevel: topLevel)
    }
}

/// The walk's running state: paths kept so far and files counted.
private struct ListingWalk {
    let pathLimit: Int
    let countLimit: Int
    var paths: [String] = []
    var counted = 0
    var limitReached: Bool { counted >= countLimit }

    /// Counts a file; its path is only built while there is room for it.
    mutating func add(_ path: @autoclosure () -> String) {
        counted += 1
        if paths.count < pathLimit { paths.append(path()) }
    }

    mutating func descend(into id: git_oid, prefix: String, repository: Repository) throws(GitWorkspaceError) {
        let tree = try repository.lookupTree(ObjectID(id))
        defer { git_tree_free(tree) }
        for child in Repository.entries(of: tree) {
            if limitReached { return }
            if child.isTree {
                try descend(into: child.id, prefix: prefix + child.text + "/", repository: repository)
            } else {
                add(prefix + child.text)
            }
        }
    }
}
