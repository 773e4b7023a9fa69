import Testing

@testable import Voting

@Suite("WorktreePathNormalizer")
struct WorktreePathNormalizerTests {
    static let cases: [(String, String)] = [
        // Absolute paths under the repository root.
        ("/repo/.massgen/workspaces/s1/agent1/src/x.swift", "src/x.swift"),
        ("Edited /repo/.massgen/workspaces/s1/agent1/src/x.swift and /repo/.massgen/workspaces/s1/agent2/README.md.",
         "Edited src/x.swift and README.md."),
        // Relative forms.
        (".massgen/workspaces/s1/agent1/src/x.swift", "src/x.swift"),
        ("./.massgen/workspaces/s1/agent1/src/x.swift", "src/x.swift"),
        ("see .massgen/workspaces/20250101-abc/gpt-4o/Sources/A/B.swift:12:5: error", "see Sources/A/B.swift:12:5: error"),
        // Quoted, bracketed, assigned, listed.
        ("\"/repo/.massgen/workspaces/s/a/x.txt\"", "\"x.txt\""),
        ("`/repo/.massgen/workspaces/s/a/x.txt`", "`x.txt`"),
        ("(/repo/.massgen/workspaces/s/a/x.txt)", "(x.txt)"),
        ("[link](.massgen/workspaces/s/a/docs/a.md)", "[link](docs/a.md)"),
        ("path=/repo/.massgen/workspaces/s/a/x.txt", "path=x.txt"),
        ("a,/repo/.massgen/workspaces/s/a/x.txt;b", "a,x.txt;b"),
        // The worktree root itself.
        ("cd /repo/.massgen/workspaces/s1/agent1 && swift test", "cd . && swift test"),
        ("cd /repo/.massgen/workspaces/s1/agent1/ && make", "cd . && make"),
        ("root: .massgen/workspaces/s1/agent1", "root: ."),
        ("/repo/.massgen/workspaces/s1/agent1:", ".:"),
        // Other spellings of the root (symlinks, /private on macOS, file URLs).
        ("/private/var/folders/x/repo/.massgen/workspaces/s/a/f.c", "f.c"),
        ("file:///repo/.massgen/workspaces/s/a/f.c", "f.c"),
        // Several on one line and across lines.
        ("a .massgen/workspaces/s/a/1\nb .massgen/workspaces/s/b/2\n", "a 1\nb 2\n"),
        // Unicode around and inside.
        ("→ /répo/.massgen/workspaces/s/a/ünï.swift ✓", "→ ünï.swift ✓"),
        // Nested .massgen inside a worktree path keeps only the rest after the first agent.
        ("/repo/.massgen/workspaces/s/a/.git", ".git"),
        // Left alone: not a worktree reference.
        ("foo.massgen/workspaces/s/a/x", "foo.massgen/workspaces/s/a/x"),
        (".massgen/workspaces/s1", ".massgen/workspaces/s1"),
        (".massgen/workspaces/s1/", ".massgen/workspaces/s1/"),
        (".massgen/workspaces/", ".massgen/workspaces/"),
        (".massgen/config.yaml", ".massgen/config.yaml"),
        ("src/x.swift", "src/x.swift"),
        ("", ""),
        ("massgen/workspaces/s/a/x", "massgen/workspaces/s/a/x"),
    ]

    @Test("rewrites agent-worktree references to repository-relative paths", arguments: cases)
    func normalizes(input: String, expected: String) {
        #expect(WorktreePathNormalizer(repositoryRoot: "/repo").normalize(input) == expected)
    }

    @Test("normalizing twice changes nothing more", arguments: cases)
    func idempotent(input: String, expected: String) {
        let normalizer = WorktreePathNormalizer()
        #expect(normalizer.normalize(normalizer.normalize(input)) == expected)
    }

    @Test("text without references comes back unchanged, large inputs included")
    func untouchedText() {
        let text = String(repeating: "plain text with .massgen/config and /usr/lib paths\n", count: 2_000)
        #expect(WorktreePathNormalizer().normalize(text) == text)
        let many = String(repeating: "/r/.massgen/workspaces/s/a/f.swift ", count: 2_000)
        #expect(WorktreePathNormalizer().normalize(many) == String(repeating: "f.swift ", count: 2_000))
    }
}
