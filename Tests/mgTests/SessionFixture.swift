import Foundation
import GitWorkspace
import MGTestSupport

/// A calculator repository with a bug, and configs whose one scripted agent (`fixer`) makes an
/// edit, answers and votes — for running the built `mg` through whole sessions quickly.
final class SessionFixture {
    let repository: TemporaryRepository
    /// Configs and scripts live outside the repository so they never show in its status.
    let configFolder: String

    static let calc = "add() { echo $(($1 - $2)); }\nmul() { echo $(($1 * $2)); }\n"
    static let test = """
        #!/bin/sh
        . ./calc.sh
        if [ "$(add 2 3)" = "5" ]; then echo "ok 1 - add"; else echo "not ok 1 - add"; exit 1; fi

        """

    init() throws {
        repository = try TemporaryRepository()
        try repository.write("calc.sh", Self.calc)
        try repository.write("test.sh", Self.test)
        try repository.write("README.md", "A calculator.\n")
        _ = try repository.commitAll("initial")
        configFolder = FileManager.default.temporaryDirectory
            .appendingPathComponent("mg-session-config-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: configFolder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: configFolder) }

    var path: String { repository.path }

    /// Writes a config named `name` whose agent edits `old` → `new` in calc.sh and answers `summary`;
    /// returns its path.
    func config(_ name: String, edit old: String, _ new: String, summary: String, merge: String? = nil) throws -> String {
        func call(_ tool: String, _ arguments: [String: Any]) -> [String: Any] {
            ["tool_calls": [["name": tool, "arguments": arguments]]]
        }
        let vote = call("vote", ["agent_id": "agent1", "reason": "tests pass"])
        let turns: [[String: Any]] =
            [
                call("edit_file", ["path": "calc.sh", "old_string": old, "new_string": new]),
                call("new_answer", ["content": summary]),
            ] + Array(repeating: vote, count: 4)
        let script = try JSONSerialization.data(withJSONObject: ["turns": turns], options: [.sortedKeys])
        try script.write(to: URL(fileURLWithPath: "\(configFolder)/\(name).json"))
        let yaml = """
            agents:
              - id: fixer
                backend:
                  type: scripted
                  model: scripted
                  script: \(name).json
            orchestrator:
              test_command: sh test.sh
            \(merge.map { "  merge_mode: \($0)\n" } ?? "")
            """
        let file = "\(configFolder)/\(name).yaml"
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Runs the built mg in the repository.
    func mg(_ args: String..., env: [String: String] = [:], input: Data? = nil) throws -> GitCLI.Output {
        try ProcessRunner.run(
            DemoEndToEndTests.mgPath, args, in: path,
            environment: GitCLI.environment(CLIEndToEndTests.noKeys.merging(env) { $1 }), input: input)
    }

    /// All refs (mg's included) and the worktrees git knows: what undo of a clean must restore.
    func refsAndWorktrees() throws -> String {
        try repository.git("for-each-ref", "--format=%(refname) %(objectname)") + "\n"
            + repository.git("worktree", "list", "--porcelain")
    }
}
