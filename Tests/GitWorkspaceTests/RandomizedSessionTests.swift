import Foundation
import GitWorkspace
import MGTestSupport
import Testing

/// Fills repositories with random tracked/staged/unstaged/untracked/ignored changes, runs
/// base snapshot → worktrees → iteration commits → merge-back in each mode, and checks that
/// nothing of the user's outside the merged change moved.
@Suite struct RandomizedSessionTests {
    @Test(arguments: 0..<52)
    func userStateSurvivesASession(seed: Int) throws {
        var rng = SeededRandom(seed: UInt64(seed) &* 7919 &+ 17)
        let repo = try TemporaryRepository()
        let names = (0..<12).map { i in ["src/f\(i).txt", "docs/d \(i).md", "ü/n\(i).txt"][i % 3] }
        for name in names {
            let keep = Bool.random(using: &rng)
            if keep || name == names[0] {
                let text = randomText(&rng)
                try repo.write(name, text)
            }
        }
        try repo.write(".gitignore", "*.log\nbuild/\n")
        try repo.commitAll("initial")

        // Random user state: unstaged edits, staged edits, deletions, untracked and ignored files.
        let tracked = try repo.git("ls-files").split(separator: "\n").map(String.init).filter { $0 != ".gitignore" }
        let userIsDirty = seed % 8 < 4  // half the cases start clean, so squash/no-ff can land
        for name in tracked where userIsDirty {
            let action = Int.random(in: 0..<6, using: &rng)
            let text = randomText(&rng)
            switch action {
            case 0: try repo.write(name, text)
            case 1:
                try repo.write(name, text)
                try repo.git("add", name)
            case 2: try FileManager.default.removeItem(atPath: repo.path + "/" + name)
            default: break
            }
        }
        let untrackedCount = Int.random(in: 0..<3, using: &rng)
        for i in 0..<(userIsDirty ? untrackedCount : 0) {
            let text = randomText(&rng)
            try repo.write("untracked \(i).txt", text)
        }
        try repo.write("build/out.log", "ignored\n")

        let before = try repo.userStateSnapshot()
        let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "r\(seed)")
        let worktrees = try WorktreeManager(repositoryRoot: repo.path)
            .create(session: "r\(seed)", agents: ["a", "b"], base: base.commit)
        #expect(try repo.userStateSnapshot() == before, "snapshot and worktrees leave the user's state alone")

        // Agent a changes a few random paths (some the user touched, some new).
        let candidates = names + ["new/agent \(seed).txt"]
        let editCount = Int.random(in: 1...4, using: &rng)
        for _ in 0..<editCount {
            let name = candidates[Int.random(in: 0..<candidates.count, using: &rng)]
            let full = worktrees[0].path + "/" + name
            let delete = Bool.random(using: &rng)
            let text = randomText(&rng)
            if FileManager.default.fileExists(atPath: full), delete {
                try FileManager.default.removeItem(atPath: full)
            } else {
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
        }
        guard case .committed(let answer) = try IterationCommitter.commit(worktrees[0], iteration: 1, summary: "answer") else {
            return  // the random edits happened to cancel out: nothing to merge
        }
        let touched = Set(try repo.git("diff", "--name-only", "--no-renames", base.commit.hex, answer.commit.hex)
            .split(separator: "\n").map(String.init))

        let mode = MergeMode.allCases[seed % MergeMode.allCases.count]
        let indexBefore = try repo.git("ls-files", "--stage")
        var merged = false
        do {
            merged = try MergeBack(repositoryRoot: repo.path).merge(
                winner: answer.commit, winnerBranch: worktrees[0].branch, base: base, mode: mode,
                message: "random \(seed)\n") != nil
        } catch {
            guard case .mergeRefused = error else { throw error }
            #expect(try repo.userStateSnapshot() == before, "a refused merge changes nothing")
        }
        let after = try repo.userStateSnapshot()
        let changed = Set(after.changedFiles(comparedTo: before))
        #expect(changed.isSubset(of: touched), "only paths of the change were written: \(changed.subtracting(touched))")
        if !merged || mode == .apply {
            #expect(try repo.git("ls-files", "--stage") == indexBefore, "the index is unchanged")
        } else {
            let indexAfter = try repo.git("ls-files", "--stage").split(separator: "\n")
            let untouchedBefore = indexBefore.split(separator: "\n").filter { !touched.contains(String($0.split(separator: "\t").last ?? "")) }
            #expect(untouchedBefore.allSatisfy { indexAfter.contains($0) }, "index entries of untouched paths are unchanged")
        }
        if merged {
            for path in touched {
                let expected = try? repo.git("show", "\(answer.commit.hex):\(path)")
                let actual = repo.read(path).map { String(decoding: $0, as: UTF8.self) }
                #expect(actual == expected, "\(path) holds the winner's content")
            }
        }
        try repo.fsck()
    }

    private func randomText(_ rng: inout SeededRandom) -> String {
        let count = Int.random(in: 1...8, using: &rng)
        var text = ""
        for _ in 0..<count { text += "line \(Int.random(in: 0..<50, using: &rng))\n" }
        return text
    }
}
