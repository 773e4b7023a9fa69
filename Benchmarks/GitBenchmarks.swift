// `mg-bench git`: GitWorkspace against the git CLI on a generated 10,000-file repository.
// Each figure is the median of several runs, ours and git's interleaved in the same process.
// git's side runs through MGTestSupport's GitCLI, so its times include spawning the process —
// what a user (or an orchestrator shelling out to git) actually pays.
import Foundation
import GitWorkspace
import MGTestSupport

enum GitBenchmarks {
    static let description = "GitWorkspace vs git CLI on a 10,000-file repo: diff, worktrees, iteration commit, squash merge"

    /// One measured comparison.
    struct Figure {
        var name: String
        var ours: Duration
        var git: Duration
        var runs: Int

        var ratio: Double { seconds(ours) / max(seconds(git), 1e-9) }
    }

    @Sendable static func run() async throws {
        let started = ContinuousClock.now
        let repo = try TemporaryRepository()
        let sideFolder = repo.path + "-git-side"
        try FileManager.default.createDirectory(atPath: sideFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: sideFolder) }
        let fixture = try BenchmarkRepository.generate(in: repo)
        print(
            "repository: \(fixture.fileCount) files, \(fixture.bytes / 1_000_000) MB in nested folders, "
                + "generated in \(format(ContinuousClock.now - started))")

        // MG_BENCH_GIT_STEPS=a,c runs a subset (the worktree step alone takes minutes on 2 cores).
        let steps = Set((ProcessInfo.processInfo.environment["MG_BENCH_GIT_STEPS"] ?? "a,b,c,d").split(separator: ",").map(String.init))
        var figures: [Figure] = []
        if steps.contains("a") { figures.append(try diffFigure(repo, fixture)) }
        if steps.contains("b") { figures.append(try worktreeFigure(repo, fixture, sideFolder: sideFolder)) }
        if steps.contains("c") { figures.append(try iterationCommitFigure(repo, fixture, sideFolder: sideFolder)) }
        if steps.contains("d") { figures.append(try squashMergeFigure(repo, fixture)) }

        print("")
        print("operation".padding(toLength: 48, withPad: " ", startingAt: 0) + "      ours       git   ours/git")
        for figure in figures {
            let ratio = String(format: "%.2f", figure.ratio)
            print(
                figure.name.padding(toLength: 48, withPad: " ", startingAt: 0)
                    + pad(format(figure.ours), 10) + pad(format(figure.git), 10) + pad(ratio, 11)
                    + "  (median of \(figure.runs))")
        }
        let worst = figures.map(\.ratio).max() ?? 0
        print("\ntarget: every ratio ≤ 1.00 — \(worst <= 1 ? "met" : "NOT met (worst \(String(format: "%.2f", worst)))")")
        print("note: git times include spawning git (as users and shell-outs pay it); ours run in-process.")
    }

    // MARK: (a) diff with stats

    static func diffFigure(_ repo: TemporaryRepository, _ fixture: BenchmarkRepository) throws -> Figure {
        var ours: [Duration] = []
        var git: [Duration] = []
        var oursText = ""
        var gitText = ""
        for _ in 0..<9 {
            ours.append(
                try measure {
                    let repository = try Repository.open(at: repo.path)
                    oursText = try repository.diff(from: fixture.base, to: fixture.change).numstat
                })
            git.append(try measure { gitText = try repo.git("diff", "--numstat", "-M", fixture.base.hex, fixture.change.hex) })
        }
        // MG_BENCH_PROFILE=N: N extra runs split into open / diff / numstat (e.g. under `perf record`).
        if ProcessInfo.processInfo.environment["MG_BENCH_PROFILE"] != nil {
            for _ in 0..<(Int(ProcessInfo.processInfo.environment["MG_BENCH_PROFILE"] ?? "") ?? 5) {
                var repository: Repository?
                let open = try measure { repository = try Repository.open(at: repo.path) }
                guard let repository else { continue }
                var d: TreeDiff?
                let diff = try measure { d = try repository.diff(from: fixture.base, to: fixture.change) }
                let text = measure { _ = d?.numstat }
                print("profile: open \(format(open)) diff \(format(diff)) numstat \(format(text))")
            }
        }
        if oursText != gitText { print("warning: numstat differs from git's:\n\(oursText)\n---\n\(gitText)") }
        let files = oursText.split(separator: "\n").count
        return Figure(name: "(a) diff --numstat -M, \(files) files changed", ours: median(ours), git: median(git), runs: 9)
    }

    // MARK: (b) create 4 worktrees

    static func worktreeFigure(_ repo: TemporaryRepository, _ fixture: BenchmarkRepository, sideFolder: String) throws -> Figure {
        let manager = WorktreeManager(repositoryRoot: repo.path)
        let agents = ["a1", "a2", "a3", "a4"]
        var ours: [Duration] = []
        var git: [Duration] = []
        var created: [AgentWorktree] = []
        // Nothing is removed until every run is measured: this machine's ext4 runs without a
        // journal, and there each file created soon after mass deletions pays a scan over the
        // "recently deleted" inodes (ext4 `recently_deleted`), which made whichever side ran
        // after a removal several times slower at random. Both sides alternate who goes first.
        func measureOurs(_ run: Int) throws {
            ours.append(try measure { created += try manager.create(session: "bench\(run)", agents: agents, base: fixture.base) })
        }
        func measureGit(_ run: Int) throws {
            git.append(
                try measure {
                    for agent in agents {
                        try repo.git(
                            "worktree", "add", "-q", "-b", "gitbench\(run)/\(agent)",
                            "\(sideFolder)/wt\(run)-\(agent)", fixture.base.hex)
                    }
                })
        }
        for run in 0..<3 {
            if run.isMultiple(of: 2) {
                try measureOurs(run)
                try measureGit(run)
            } else {
                try measureGit(run)
                try measureOurs(run)
            }
        }
        for worktree in created {
            try manager.unlock(worktree)
            _ = try manager.remove(worktree)
        }
        for run in 0..<3 {
            for agent in agents { try repo.git("worktree", "remove", "--force", "\(sideFolder)/wt\(run)-\(agent)") }
        }
        return Figure(name: "(b) create 4 worktrees (10,000 files each)", ours: median(ours), git: median(git), runs: 3)
    }

    // MARK: (c) iteration commit after a one-file edit

    static func iterationCommitFigure(_ repo: TemporaryRepository, _ fixture: BenchmarkRepository, sideFolder: String) throws -> Figure {
        let manager = WorktreeManager(repositoryRoot: repo.path)
        guard let worktree = try manager.create(session: "benchiter", agents: ["a1"], base: fixture.base).first else {
            throw GitWorkspaceError.invalidArgument("no worktree was created")
        }
        let gitWorktree = sideFolder + "/iter"
        try repo.git("worktree", "add", "-q", "-b", "gitbench-iter", gitWorktree, fixture.base.hex)
        let file = fixture.sampleFile
        var ours: [Duration] = []
        var git: [Duration] = []
        for run in 1...7 {
            try append("// ours \(run)\n", to: worktree.path + "/" + file)
            ours.append(try measure { _ = try IterationCommitter.commit(worktree, iteration: run, summary: "edit \(run)") })
            try append("// git \(run)\n", to: gitWorktree + "/" + file)
            git.append(
                try measure {
                    try GitCLI.run(["add", "-A"], in: gitWorktree)
                    try GitCLI.run(["commit", "-q", "-m", "edit \(run)"], in: gitWorktree)
                })
        }
        try manager.unlock(worktree)
        _ = try manager.remove(worktree)
        try repo.git("worktree", "remove", "--force", gitWorktree)
        return Figure(name: "(c) iteration commit after a 1-file edit", ours: median(ours), git: median(git), runs: 7)
    }

    // MARK: (d) squash merge-back

    static func squashMergeFigure(_ repo: TemporaryRepository, _ fixture: BenchmarkRepository) throws -> Figure {
        let merger = MergeBack(repositoryRoot: repo.path)
        var ours: [Duration] = []
        var git: [Duration] = []
        for run in 0..<5 {
            let base = try BaseSnapshot.capture(repositoryPath: repo.path, session: "benchmerge\(run)")
            ours.append(
                try measure {
                    _ = try merger.merge(
                        winner: fixture.change, winnerBranch: fixture.changeBranch, base: base, mode: .squash,
                        message: "squash \(run)")
                })
            try repo.git("reset", "-q", "--hard", fixture.base.hex)
            git.append(
                try measure {
                    try repo.git("merge", "-q", "--squash", fixture.changeBranch)
                    try repo.git("commit", "-q", "-m", "squash \(run)")
                })
            try repo.git("reset", "-q", "--hard", fixture.base.hex)
        }
        return Figure(name: "(d) squash merge-back of the 50-file change", ours: median(ours), git: median(git), runs: 5)
    }

    // MARK: helpers

    static func measure(_ body: () throws -> Void) rethrows -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try body()
        return clock.now - start
    }

    static func median(_ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        return sorted.isEmpty ? .zero : sorted[sorted.count / 2]
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func format(_ duration: Duration) -> String {
        let value = seconds(duration)
        return value >= 1 ? String(format: "%.2f s", value) : String(format: "%.1f ms", value * 1000)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}

/// The generated repository: 10,000 source-like files of a few KB in 20 × 10 folders, a base
/// commit on `main`, and a branch `change` one commit ahead touching 50 files (44 edits,
/// 3 renames with edits, 2 additions, 1 deletion).
struct BenchmarkRepository {
    var base: ObjectID
    var change: ObjectID
    var changeBranch = "refs/heads/change"
    var sampleFile = "pkg00/module0/file00.swift"
    var fileCount: Int
    var bytes: Int

    static func path(_ package: Int, _ module: Int, _ file: Int) -> String {
        String(format: "pkg%02d/module%d/file%02d.swift", package, module, file)
    }

    static func content(_ package: Int, _ module: Int, _ file: Int) -> String {
        var lines = ["// Package \(package), module \(module), file \(file).", "import Foundation", ""]
        for function in 0..<8 {
            lines.append("func compute\(package)_\(module)_\(file)_\(function)(_ input: Int) -> Int {")
            for step in 0..<6 {
                lines.append("    let value\(step) = input &* \(function * 7 + step + file) &+ \(module * 31 + package)")
            }
            lines.append("    return value5 ^ value0")
            lines.append("}")
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func generate(in repo: TemporaryRepository) throws -> BenchmarkRepository {
        var bytes = 0
        var count = 0
        for package in 0..<20 {
            for module in 0..<10 {
                for file in 0..<50 {
                    let text = content(package, module, file)
                    try repo.write(path(package, module, file), text)
                    bytes += text.utf8.count
                    count += 1
                }
            }
        }
        let base = try repo.commitAll("base")
        try repo.git("checkout", "-q", "-b", "change")
        for index in 0..<44 {
            let (package, module, file) = (index % 20, index % 10, index)
            let text = content(package, module, file).replacingOccurrences(of: "return value5", with: "return value4")
            try repo.write(path(package, module, file), text + "// edited\n")
        }
        for index in 0..<3 {
            try repo.git("mv", path(19, 9, index), "pkg19/renamed\(index).swift")
            try repo.write("pkg19/renamed\(index).swift", content(19, 9, index) + "// moved\n")
        }
        try repo.write("pkg18/new0.swift", content(18, 0, 99))
        try repo.write("pkg18/new1.swift", content(18, 1, 99))
        try FileManager.default.removeItem(atPath: repo.path + "/" + path(17, 8, 49))
        let change = try repo.commitAll("change")
        try repo.git("checkout", "-q", "main")
        guard let baseID = ObjectID(hex: base), let changeID = ObjectID(hex: change) else {
            throw GitWorkspaceError.invalidArgument("git printed an unexpected commit id: \(base) / \(change)")
        }
        return BenchmarkRepository(base: baseID, change: changeID, fileCount: count, bytes: bytes)
    }
}
