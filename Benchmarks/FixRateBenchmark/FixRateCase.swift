import Foundation
import MGTestSupport

/// One buggy repository of the fix-rate corpus (`Benchmarks/fixrate/cases/<name>/`):
/// `repo/` (what the agents get: code and the tests that pass or fail today), `task.txt` (the
/// bug in a user's words), `hidden/` (tests the agents never see: the bug's tests and the
/// behaviour that must keep working), `fix/` (a reference fix, for `--verify`) and
/// `case.json` (`language`, `test_command` the agents are judged by, `hidden_command`).
struct FixRateCase: Sendable {
    let name: String
    let task: String
    let language: String
    let testCommand: String
    let hiddenCommand: String
    let folder: String

    /// The corpus next to this file.
    static var defaultRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixrate/cases").path
    }

    /// Every case under `root`, by name; `names` (exact names or prefixes) picks some.
    static func load(from root: String = defaultRoot, names: [String] = []) throws -> [FixRateCase] {
        let all = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        var cases: [FixRateCase] = []
        for name in all where names.isEmpty || names.contains(where: { name == $0 || name.hasPrefix($0) }) {
            let folder = root + "/" + name
            guard FileManager.default.fileExists(atPath: folder + "/case.json") else { continue }
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/case.json")))
            guard let fields = manifest as? [String: String], let test = fields["test_command"] else {
                throw FixRateError.badCase(name, "case.json needs string fields test_command, hidden_command, language")
            }
            let task = try String(contentsOfFile: folder + "/task.txt", encoding: .utf8)
            cases.append(
                FixRateCase(
                    name: name, task: task.trimmingCharacters(in: .whitespacesAndNewlines),
                    language: fields["language"] ?? "?", testCommand: test,
                    hiddenCommand: fields["hidden_command"] ?? test, folder: folder))
        }
        if cases.isEmpty { throw FixRateError.badCase(names.joined(separator: ","), "no case matches under \(root)") }
        return cases
    }

    /// A fresh git repository holding `repo/` in one commit (user identity set locally, so mg's
    /// commits work whatever the machine's git config).
    func makeRepository() throws -> TemporaryRepository {
        let repository = try TemporaryRepository()
        try copy("repo", into: repository.path)
        _ = try repository.git("config", "user.name", "mg bench")
        _ = try repository.git("config", "user.email", "bench@mg.invalid")
        _ = try repository.commitAll("the buggy code")
        return repository
    }

    /// Copies the files of `part` (`repo`, `hidden`, `fix`) into `directory`, overwriting.
    func copy(_ part: String, into directory: String) throws {
        let source = folder + "/" + part
        let manager = FileManager.default
        guard let paths = manager.enumerator(atPath: source) else { return }
        for case let relative as String in paths {
            var isDirectory: ObjCBool = false
            _ = manager.fileExists(atPath: source + "/" + relative, isDirectory: &isDirectory)
            let target = directory + "/" + relative
            if isDirectory.boolValue {
                try manager.createDirectory(atPath: target, withIntermediateDirectories: true)
                continue
            }
            if manager.fileExists(atPath: target) { try manager.removeItem(atPath: target) }
            try manager.copyItem(atPath: source + "/" + relative, toPath: target)
        }
    }

    /// Runs `command` with `/bin/sh -c` in `directory`; true when it exits 0 within `timeout`.
    static func passes(_ command: String, in directory: String, timeout: Duration = .seconds(180)) -> Bool {
        guard let run = try? BenchProcess.run("/bin/sh", ["-c", command], in: directory, timeout: timeout) else { return false }
        return run.status == 0 && !run.timedOut
    }

    /// The corpus check without a model: the hidden tests fail on the buggy code and pass with
    /// the reference fix (and the agents' test command runs).
    func verify() throws -> String {
        let repository = try makeRepository()
        let visible = Self.passes(testCommand, in: repository.path)
        try copy("hidden", into: repository.path)
        let before = Self.passes(hiddenCommand, in: repository.path)
        try copy("fix", into: repository.path)
        let after = Self.passes(hiddenCommand, in: repository.path)
        let verdict = !before && after ? "ok" : "BROKEN"
        return "\(verdict)  \(name)  visible tests \(visible ? "pass" : "fail") on the bug; hidden: bug \(before ? "PASSES" : "fails"), fix \(after ? "passes" : "FAILS")"
    }
}

/// Why the benchmark cannot run.
enum FixRateError: Error, CustomStringConvertible {
    case badCase(String, String)
    case usage(String)

    var description: String {
        switch self {
        case .badCase(let name, let reason): "fixrate case \(name): \(reason)"
        case .usage(let message): message
        }
    }
}
