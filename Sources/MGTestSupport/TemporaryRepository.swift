import Foundation
import GitWorkspace

/// A real git repository in a fresh temporary folder, created with the git CLI, removed on deinit.
public final class TemporaryRepository: Sendable {
    /// The working tree root (symlinks resolved, as libgit2 reports it).
    public let path: String

    /// Creates `git init -b main` (or `--bare`) in a new temp folder.
    public init(bare: Bool = false) throws {
        _ = Self.isolated
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("mg-repo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.resolvingSymlinksInPath().path
        try GitCLI.run(bare ? ["init", "-q", "--bare"] : ["init", "-q", "-b", "main"], in: path)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Makes in-process libgit2 read config only from the hermetic HOME, once per process.
    private static let isolated: Bool = {
        (try? GitConfiguration.isolateConfiguration(in: GitCLI.hermeticHome)) != nil
    }()

    /// Runs git in the repository.
    @discardableResult
    public func git(_ args: String...) throws -> String {
        try GitCLI.run(args, in: path)
    }

    /// Runs git in the repository with an argument array.
    @discardableResult
    public func git(args: [String]) throws -> String {
        try GitCLI.run(args, in: path)
    }

    /// Writes `content` to `relativePath`, creating folders.
    public func write(_ relativePath: String, _ content: String) throws {
        try write(relativePath, data: Data(content.utf8))
    }

    /// Writes bytes to `relativePath`, creating folders.
    public func write(_ relativePath: String, data: Data) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Reads `relativePath` from the working tree, `nil` when missing.
    public func read(_ relativePath: String) -> Data? {
        FileManager.default.contents(atPath: path + "/" + relativePath)
    }

    /// Stages everything and commits with `message`; returns the new commit id.
    @discardableResult
    public func commitAll(_ message: String = "commit") throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `git fsck --full --strict` must pass; returns its output.
    @discardableResult
    public func fsck() throws -> String {
        try git("fsck", "--full", "--strict", "--no-progress")
    }

    /// A byte-level snapshot of the working tree (excluding `.git` and `.massgen`), the index and the user's refs:
    /// equal snapshots mean mg left the user's state untouched.
    public func userStateSnapshot() throws -> UserStateSnapshot {
        var files: [String: Data] = [:]
        let root = URL(fileURLWithPath: path)
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let relative = enumerator?.nextObject() as? String {
            if relative == ".git" || relative.hasPrefix(".git/") || relative == ".massgen"
                || relative.hasPrefix(".massgen/")
            {
                continue
            }
            let url = root.appendingPathComponent(relative)
            let values = try url.resourceValues(forKeys: [.isSymbolicLinkKey, .isRegularFileKey])
            if values.isSymbolicLink == true {
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: url.path)
                files[relative] = Data(("symlink:" + target).utf8)
            } else if values.isRegularFile == true {
                let mode = (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? 0
                files[relative] = (try Data(contentsOf: url)) + Data("|mode:\(mode & 0o111 != 0)".utf8)
            }
        }
        let index = try git("ls-files", "--stage", "-z")
        // mg's own branches (refs/heads/massgen/…) are not the user's.
        let refs = try git("for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags")
            .split(separator: "\n").filter { !$0.hasPrefix("refs/heads/massgen/") }.joined(separator: "\n")
        let head = (try? git("symbolic-ref", "-q", "HEAD")) ?? ((try? git("rev-parse", "HEAD")) ?? "unborn")
        let stash = (try? git("rev-parse", "-q", "--verify", "refs/stash")) ?? ""
        return UserStateSnapshot(files: files, index: index, refs: refs, head: head, stash: stash)
    }
}

/// What the user owns in a repository: working-tree bytes, index, branches/tags, HEAD, stash.
public struct UserStateSnapshot: Equatable, Sendable {
    public var files: [String: Data]
    public var index: String
    public var refs: String
    public var head: String
    public var stash: String

    /// Paths whose bytes differ between two snapshots.
    public func changedFiles(comparedTo other: UserStateSnapshot) -> [String] {
        Set(files.keys).union(other.files.keys).filter { files[$0] != other.files[$0] }.sorted()
    }
}
