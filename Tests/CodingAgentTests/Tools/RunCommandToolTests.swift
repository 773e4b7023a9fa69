import Foundation
import Synchronization
import Testing
@testable import CodingAgent

@Suite struct RunCommandToolTests {
    final class Warnings: Sendable {
        private let messages = Mutex<[String]>([])
        func add(_ message: String) { messages.withLock { $0.append(message) } }
        var all: [String] { messages.withLock { $0 } }
    }

    @Test func reportsExitStatusAndOutput() async throws {
        let ws = try TemporaryWorkspace()
        let tool = RunCommandTool(runner: CommandRunner())
        let ok = try await ws.call(tool, #"{"command": "echo hello; echo oops >&2"}"#)
        #expect(!ok.isError)
        #expect(ok.text.hasPrefix("Exit code 0.") && ok.text.contains("hello") && ok.text.contains("oops"))
        let failed = try await ws.call(tool, #"{"command": "exit 3"}"#)
        #expect(failed.isError && failed.text.hasPrefix("Exit code 3."))
        // It runs in the workspace, whose own path never reaches the model: it reads as ".".
        let cwd = try await ws.call(tool, #"{"command": "pwd; echo \"$PWD/src/x.py\""}"#)
        #expect(cwd.text == "Exit code 0.\n.\nsrc/x.py\n", "\(cwd.text)")
        #expect(!cwd.text.contains(ws.root.path))
    }

    @Test func environmentIsScrubbedOfKeysAndGitRedirects() async throws {
        #expect(EnvironmentScrubber.isScrubbed("OPENAI_API_KEY"))
        #expect(EnvironmentScrubber.isScrubbed("MY_SERVICE_API_TOKEN"))
        #expect(EnvironmentScrubber.isScrubbed("AZURE_OPENAI_ENDPOINT"))
        #expect(EnvironmentScrubber.isScrubbed("CLIENT_SECRET_VALUE"))
        #expect(EnvironmentScrubber.isScrubbed("GIT_INDEX_FILE"))
        #expect(!EnvironmentScrubber.isScrubbed("PATH"))
        #expect(!EnvironmentScrubber.isScrubbed("HOME"))
        var environment = ProcessInfo.processInfo.environment
        environment["OPENAI_API_KEY"] = "sk-test-should-not-leak"
        environment["GIT_DIR"] = "/tmp/elsewhere.git"
        let ws = try TemporaryWorkspace()
        let runner = CommandRunner(settings: CommandSettings(baseEnvironment: environment))
        let outcome = try await ws.call(RunCommandTool(runner: runner), #"{"command": "env"}"#)
        #expect(outcome.text.contains("PATH="))
        #expect(!outcome.text.contains("sk-test-should-not-leak"))
        #expect(!outcome.text.contains("OPENAI_API_KEY"))
        #expect(!outcome.text.contains("GIT_DIR="))
    }

    @Test func timeoutKillsTheWholeProcessGroup() async throws {
        let ws = try TemporaryWorkspace()
        for mode in [SandboxMode.automatic, .disabled] {
            let tool = RunCommandTool(runner: CommandRunner(settings: CommandSettings(sandbox: mode)))
            let start = ContinuousClock.now
            // The grandchild holds the output pipe: only killing the group ends the call.
            let outcome = try await ws.call(tool, #"{"command": "echo started; sleep 100 & sleep 100", "timeout_seconds": 1}"#)
            #expect(ContinuousClock.now - start < .seconds(5), "\(mode)")
            #expect(outcome.isError && outcome.text.contains("timed out after 1 s"))
            #expect(outcome.text.contains("started"))
        }
    }

    @Test func cancellationKillsTheCommand() async throws {
        let ws = try TemporaryWorkspace()
        let tool = RunCommandTool(runner: CommandRunner(settings: CommandSettings(sandbox: .disabled)))
        let context = ws.context
        let task = Task { await tool.run(arguments: .object(["command": .string("sleep 100 & sleep 100")]), context: context) }
        try await Task.sleep(for: .milliseconds(300))
        let start = ContinuousClock.now
        task.cancel()
        _ = await task.value
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func outputCapKeepsHeadAndTail() async throws {
        let ws = try TemporaryWorkspace()
        let runner = CommandRunner(settings: CommandSettings(outputLimitBytes: 2000))
        let outcome = try await ws.call(RunCommandTool(runner: runner), #"{"command": "seq 1 100000"}"#)
        #expect(outcome.text.contains("\n1\n2\n3\n"))
        #expect(outcome.text.hasSuffix("99999\n100000\n"))
        #expect(outcome.text.contains("bytes omitted"))
        #expect(outcome.text.utf8.count < 2200)
        var capture = CappedOutput(limit: 10)
        for chunk in ["abc", "defgh", "ijklmnop", "qrstuvwxyz"] { chunk.utf8.withContiguousStorageIfAvailable { capture.append(UnsafeRawBufferPointer($0)) } }
        #expect(capture.text == "abcde\n… 16 bytes omitted …\nvwxyz")
    }

    @Test func sandboxConfinesWritesHidesTheNetworkAndKeepsGitReadOnly() async throws {
        let bwrap = try #require(CommandSandbox.findBubblewrap(path: ProcessInfo.processInfo.environment["PATH"]), "bwrap must be installed (.ci/run installs it)")
        #expect(!bwrap.isEmpty)
        let ws = try TemporaryWorkspace()
        try Self.git(["init", "-q", "-b", "main"], in: ws.url)
        try ws.write("tracked.txt", "v1\n")
        try Self.git(["add", "."], in: ws.url)
        try Self.git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init"], in: ws.url)
        let warnings = Warnings()
        let runner = CommandRunner(settings: CommandSettings(sandbox: .required)) { warnings.add($0) }
        let tool = RunCommandTool(runner: runner)
        let escape = ws.outside.appendingPathComponent("pwned").path
        let write = try await ws.call(tool, #"{"command": "echo x > \#(escape); echo y > inside.txt; echo z > /tmp/private; cat /tmp/private"}"#)
        #expect(write.text.contains("z"))
        #expect(!FileManager.default.fileExists(atPath: escape))
        #expect(try ws.read("inside.txt") == "y\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/private"))
        try ws.write("tracked.txt", "v2\n")
        let git = try await ws.call(tool, #"{"command": "git status --short && git diff --stat && git commit -qam agent-commit; echo rc=$?"}"#)
        #expect(git.text.contains("M tracked.txt"))
        #expect(!git.text.contains("rc=0"))
        let head = try Self.git(["log", "--format=%s"], in: ws.url)
        #expect(head == "init\n")
        let network = try await ws.call(tool, #"{"command": "cat /proc/net/dev | grep -c ':'"}"#)
        #expect(network.text.contains("\n1\n"), "only loopback: \(network.text)")
        #expect(warnings.all.isEmpty)
    }

    @Test func unsandboxedRunsWarnOnce() async throws {
        let ws = try TemporaryWorkspace()
        let warnings = Warnings()
        let tool = RunCommandTool(runner: CommandRunner(settings: CommandSettings(sandbox: .disabled)) { warnings.add($0) })
        _ = try await ws.call(tool, #"{"command": "true"}"#)
        _ = try await ws.call(tool, #"{"command": "true"}"#)
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("unsandboxed") == true)
    }

    @discardableResult
    static func git(_ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        for name in EnvironmentScrubber.gitRedirects { environment[name] = nil }
        environment["HOME"] = directory.path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
