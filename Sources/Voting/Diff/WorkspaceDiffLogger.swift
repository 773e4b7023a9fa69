import Foundation
import GitWorkspace

/// Records how agents' answers evolve: after each accepted answer its diff against the base and
/// against the agent's previous answer; after the round the pairwise similarity of the answers
/// with a convergence label. Results go to the caller (for the session records) and to a readable
/// Markdown log, `.massgen/sessions/<session>/diff-log.md`.
///
/// Labels use `SimilarityMatrix.label()` with thresholds `convergedAt` (default 0.8: the agents
/// largely made the same change) and `diverseAt` (default 0.3: they explored different fixes);
/// see docs/similarity.md. All libgit2 work runs off the cooperative pool (`BlockingWork`), each
/// call with its own `Repository`.
public actor WorkspaceDiffLogger {
    /// The repository working tree root.
    public let repositoryRoot: String
    /// The Markdown log.
    public nonisolated let logPath: String
    /// Mean similarity at or above which answers are `converged`.
    public let convergedAt: Double
    /// Mean similarity at or below which answers are `diverse`.
    public let diverseAt: Double

    /// Creates a logger for `session`; the log file is created on the first write.
    public init(repositoryRoot: String, session: String, convergedAt: Double = 0.8, diverseAt: Double = 0.3) {
        self.repositoryRoot = repositoryRoot
        self.logPath =
            ProjectLayout(repositoryRoot: repositoryRoot).sessionDirectory(session) + "/diff-log.md"
        self.convergedAt = convergedAt
        self.diverseAt = diverseAt
    }

    /// What `logAnswer` computed.
    public struct AnswerDiffs: Sendable {
        /// Summaries for the records.
        public var record: AnswerDiffRecord
        /// The diff against the base, cut to the prompt budget.
        public var patch: BudgetedPatch
    }

    /// Diffs an accepted answer against `base` and `previous`, appends them to the log, and returns them.
    public func logAnswer(
        agent: String, anonymousID: String, iteration: Int, commit: ObjectID, base: ObjectID,
        previous: ObjectID?,
        patchBudget: Int
    ) async throws(GitWorkspaceError) -> AnswerDiffs {
        let root = repositoryRoot
        let (againstBase, againstPrevious, patch) = try await BlockingWork.run {
            () throws(GitWorkspaceError) in
            let repository = try Repository.open(at: root)
            let fromBase = try repository.diff(from: base, to: commit)
            let fromPrevious = try previous.map { id throws(GitWorkspaceError) in
                DiffSummary(try repository.diff(from: id, to: commit), from: id, to: commit)
            }
            return (
                DiffSummary(fromBase, from: base, to: commit), fromPrevious,
                fromBase.budgetedPatch(maxBytes: patchBudget)
            )
        }
        let record = AnswerDiffRecord(
            agent: agent, iteration: iteration, againstBase: againstBase, againstPrevious: againstPrevious)
        var text = "## \(agent) (\(anonymousID)) — answer \(iteration), commit \(commit.short)\n\n"
        text +=
            "Against the base (\(base.short)): \(againstBase.filesChanged) file(s), +\(againstBase.insertions) −\(againstBase.deletions)\n\n"
        text += Self.fenced(againstBase.stat)
        if let againstPrevious {
            text +=
                "Against answer \(iteration - 1) (\(againstPrevious.from.short)): \(againstPrevious.filesChanged) file(s), +\(againstPrevious.insertions) −\(againstPrevious.deletions)\n\n"
            text += Self.fenced(againstPrevious.stat)
        }
        append(text)
        return AnswerDiffs(record: record, patch: patch)
    }

    /// Computes the similarity matrix of `answers` (anonymous id, commit) against `base`, logs it, and returns it.
    public func logSimilarity(answers: [(String, ObjectID)], base: ObjectID, round: String)
        async throws(GitWorkspaceError) -> SimilarityRecord
    {
        let root = repositoryRoot
        let commits = answers.map(\.1)
        let matrix = try await BlockingWork.run { () throws(GitWorkspaceError) in
            let repository = try Repository.open(at: root)
            var diffs: [TreeDiff] = []
            for commit in commits { diffs.append(try repository.diff(from: base, to: commit)) }
            return ChangeSimilarity.matrix(diffs)
        }
        let label = matrix.label(convergedAt: convergedAt, diverseAt: diverseAt)
        let record = SimilarityRecord(
            anonymousIDs: answers.map(\.0), values: matrix.values, mean: matrix.meanOffDiagonal,
            label: label.rawValue)
        append(Self.render(record, round: round))
        return record
    }

    /// The similarity table as Markdown.
    static func render(_ record: SimilarityRecord, round: String) -> String {
        var text = "## Similarity — \(round)\n\n"
        text += "| | " + record.anonymousIDs.joined(separator: " | ") + " |\n"
        text += "|---|" + String(repeating: "---|", count: record.anonymousIDs.count) + "\n"
        for (id, row) in zip(record.anonymousIDs, record.values) {
            text += "| \(id) | " + row.map { String(format: "%.2f", $0) }.joined(separator: " | ") + " |\n"
        }
        let mean = record.mean.map { String(format: "%.2f", $0) } ?? "n/a"
        text += "\nMean similarity \(mean): **\(record.label)**\n\n"
        return text
    }

    private static func fenced(_ text: String) -> String {
        text.isEmpty ? "(no changes)\n\n" : "```\n" + text + "```\n\n"
    }

    private func append(_ text: String) {
        let folder = (logPath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(
                atPath: logPath, contents: Data("# Workspace diff log\n\n".utf8))
        }
        guard let handle = FileHandle(forWritingAtPath: logPath) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
