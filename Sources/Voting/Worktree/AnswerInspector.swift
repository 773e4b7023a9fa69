import Foundation
import GitWorkspace

/// Reads another agent's answer for `view_answer`: the list of changed files, or one file's
/// content at the answer's commit. Synchronous libgit2 work: call it through `BlockingWork`.
public enum AnswerInspector {
    /// Largest file content returned, in bytes (the rest is cut with a note).
    public static let maxFileBytes = 100_000

    /// The overview of `commit` against `base`: its `--stat` and how to read a file.
    public static func overview(repositoryRoot: String, commit: ObjectID, base: ObjectID, anonymousID: String)
        throws(GitWorkspaceError) -> String
    {
        let repository = try Repository.open(at: repositoryRoot)
        let diff = try repository.diff(from: base, to: commit)
        let stat = diff.isEmpty ? "(no changes against the base)\n" : diff.stat()
        return
            "\(anonymousID)'s answer changes these files against the base:\n\(stat)\nCall view_answer with a path to read any file of this answer."
    }

    /// The content of `path` in `commit`, or a readable error.
    public static func file(repositoryRoot: String, commit: ObjectID, path: String) throws(GitWorkspaceError)
        -> Result<String, AnswerInspectorProblem>
    {
        let clean = path.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
        if clean.isEmpty || clean.split(separator: "/").contains("..") || path.hasPrefix("/") {
            return .failure(.badPath("Give a path relative to the repository root, without \"..\"."))
        }
        let repository = try Repository.open(at: repositoryRoot)
        let tree = try repository.tree(ofCommit: commit)
        guard let entry = try repository.entry(at: clean, inTree: tree) else {
            return .failure(.notFound("\(clean) does not exist in this answer."))
        }
        if entry.mode.isDirectory { return .failure(.badPath("\(clean) is a directory; give a file path.")) }
        let data = try repository.blobData(entry.id)
        if data.prefix(8000).contains(0) {
            return .failure(.binary("\(clean) is a binary file (\(data.count) bytes)."))
        }
        var text = String(decoding: data.prefix(maxFileBytes), as: UTF8.self)
        if data.count > maxFileBytes { text += "\n… (cut at \(maxFileBytes) of \(data.count) bytes)" }
        return .success(text)
    }
}

/// Why `view_answer` could not show a file.
public enum AnswerInspectorProblem: Error, Sendable, Hashable {
    /// The path is malformed or a directory.
    case badPath(String)
    /// No such file in the answer.
    case notFound(String)
    /// The file is binary.
    case binary(String)

    /// The message for the model.
    public var message: String {
        switch self {
        case .badPath(let text), .notFound(let text), .binary(let text): return text
        }
    }
}
