import Foundation

/// A self-contained tour of mg's git layer on a sample repository: base snapshot of a dirty
/// working tree, three agent worktrees, iteration commits, and a safe merge-back.
///
/// The three "agents" here are scripted edits written by the demo itself — no model is called.
/// (`mg fix` with scripted and real model backends replaces this demo once the CLI lands.)
public enum GitWorkspaceDemo {
    /// Runs the demo in a new sample repository under `parent`; returns the repository path.
    /// `say` receives each line of the narration.
    public static func run(in parent: String, say: (String) -> Void) throws(GitWorkspaceError) -> String {
        let root = parent + "/mg-demo-\(getpid())"
        let fm = FileManager.default
        try? fm.removeItem(atPath: root)
        do {
            try fm.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
            try "func isValid(password: String) -> Bool {\n    return password.count > 0 || true\n}\n"
                .write(toFile: root + "/src/login.swift", atomically: true, encoding: .utf8)
            try "# Sample app\n".write(toFile: root + "/README.md", atomically: true, encoding: .utf8)
        } catch {
            throw .invalidArgument("Could not create the sample repository in \(parent): \(error)")
        }
        let repository = try SampleRepository.create(at: root)
        say("Sample repository: \(root) (one commit, branch \(repository.branch))")
        // The user has uncommitted work: it must be part of the base and must survive.
        try? "# Sample app\n\nWork in progress by the user.\n".write(toFile: root + "/README.md", atomically: true, encoding: .utf8)
        try? "notes\n".write(toFile: root + "/NOTES.txt", atomically: true, encoding: .utf8)

        let session = "demo"
        let base = try BaseSnapshot.capture(repositoryPath: root, session: session)
        say("Base snapshot \(base.commit.short): HEAD + your uncommitted README edit + untracked NOTES.txt (index untouched)")

        let agents = ["agent-a", "agent-b", "agent-c"]
        let worktrees = try WorktreeManager(repositoryRoot: root).create(session: session, agents: agents, base: base.commit)
        for worktree in worktrees {
            say("Worktree \(worktree.path.replacingOccurrences(of: root + "/", with: "")) on \(worktree.branch.dropFirst(11)) (locked)")
        }
        let edits = [
            "func isValid(password: String) -> Bool {\n    return !password.isEmpty\n}\n",
            "func isValid(password: String) -> Bool {\n    return true\n}\n",
            "func isValid(password: String) -> Bool {\n    return password.count > 0\n}\n",
        ]
        var answers: [ObjectID] = []
        for (worktree, edit) in zip(worktrees, edits) {
            try? edit.write(toFile: worktree.path + "/src/login.swift", atomically: true, encoding: .utf8)
            guard case .committed(let commit) = try IterationCommitter.commit(
                worktree, iteration: 1, summary: "Reject empty passwords in isValid") else { continue }
            answers.append(commit.commit)
            say("\(worktree.agent) answered: commit \(commit.commit.short) (trailers Mg-Session/Mg-Agent/Mg-Iteration)")
        }
        guard let winner = answers.first, let winnerTree = worktrees.first else {
            throw .invalidArgument("The demo agents produced no answer.")
        }
        let mode = MergeMode.defaultMode(for: base)
        let record = try MergeBack(repositoryRoot: root).merge(
            winner: winner, winnerBranch: winnerTree.branch, base: base, mode: mode,
            message: "Reject empty passwords in isValid\n")
        say("Winner agent-a merged back with mode '\(mode.rawValue)': \(record?.summary ?? "nothing to merge")")
        say("Your README edit and NOTES.txt are untouched; the index is as you left it.")
        for worktree in worktrees { try WorktreeManager(repositoryRoot: root).unlock(worktree) }
        say("")
        say("Look around:")
        say("  cd \(root)")
        say("  git status && git diff            # the fix, applied as uncommitted changes")
        say("  git log --all --graph --oneline   # the base snapshot and one branch per agent")
        say("  git worktree list                 # the agents' worktrees under .massgen/workspaces/")
        return root
    }
}

/// Creates the demo's sample repository with libgit2 (mg never shells out to git).
private struct SampleRepository {
    let branch: String

    static func create(at root: String) throws(GitWorkspaceError) -> SampleRepository {
        let repository = try Repository.initialize(at: root)
        let tree = try repository.stageAllIntoOwnIndex { _, _ in false }.tree
        let commit = try repository.createCommit(
            tree: tree, parents: [], message: "Initial commit\n",
            author: Signature(name: "mg demo", email: "demo@massgen.invalid"))
        try repository.updateReference("refs/heads/main", to: commit, expecting: nil, message: "demo: initial commit")
        return SampleRepository(branch: "main")
    }
}
