import Foundation
import Testing
@testable import CodingAgent

/// The sandbox probe runs once per `bwrap` binary per process, shared by every runner, and its
/// verdict decides between sandboxed, unsandboxed-with-a-warning, and refused.
@Suite struct BubblewrapProbeTests {
    /// A stand-in `bwrap` that logs its arguments and runs what follows `--` (or, for the probe,
    /// its last argument); `probeExit` makes the probe fail like a machine without user namespaces.
    final class FakeBubblewrap {
        let directory: URL
        var log: URL { directory.appendingPathComponent("calls.log") }

        init(probeExit: Int) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("mg-fake-bwrap-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let script = """
                #!/bin/sh
                echo "$*" >> '\(log.path)'
                last=""
                while [ $# -gt 0 ] && [ "$1" != "--" ]; do last="$1"; shift; done
                if [ $# -gt 0 ]; then shift; exec "$@"; fi
                [ "$last" = /bin/true ] && exit \(probeExit)
                exec "$last"

                """
            let path = directory.appendingPathComponent("bwrap").path
            try Data(script.utf8).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o755)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        var settings: CommandSettings {
            CommandSettings(baseEnvironment: ["PATH": directory.path + ":/usr/bin:/bin", "HOME": directory.path])
        }

        var calls: [String] {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    @Test func everyRunnerSharesOneProbe() async throws {
        let ws = try TemporaryWorkspace()
        let fake = try FakeBubblewrap(probeExit: 0)
        var hidden = fake.settings
        hidden.hiddenPaths = [fake.directory.path + "/nowhere"]
        let first = CommandRunner(settings: fake.settings)
        let second = CommandRunner(settings: hidden)
        await CommandRunner(settings: fake.settings).prepare()
        let root = ws.root.path
        async let a = first.run("echo one", in: root)
        async let b = second.run("echo two", in: root)
        let (one, two) = try await (a, b)

        #expect(one.sandboxed && two.sandboxed)
        #expect(one.output == "one\n" && two.output == "two\n")
        #expect(fake.calls.filter { $0.hasSuffix("/bin/true") }.count == 1, "\(fake.calls)")
        #expect(fake.calls.filter { $0.contains("-- /bin/sh -c echo") }.count == 2, "\(fake.calls)")
    }

    @Test func aFailedProbeRunsUnsandboxedWithOneWarningOrRefusesWhenRequired() async throws {
        let ws = try TemporaryWorkspace()
        let fake = try FakeBubblewrap(probeExit: 1)
        let warnings = RunCommandToolTests.Warnings()
        let runner = CommandRunner(settings: fake.settings) { warnings.add($0) }
        let result = try await runner.run("echo plain", in: ws.root.path)
        _ = try await runner.run("true", in: ws.root.path)
        #expect(!result.sandboxed)
        #expect(result.output == "plain\n")
        #expect(warnings.all.count == 1 && warnings.all[0].contains("unsandboxed"))

        var required = fake.settings
        required.sandbox = .required
        await #expect(throws: CommandRunnerError.sandboxUnavailable) {
            _ = try await CommandRunner(settings: required).run("true", in: ws.root.path)
        }
        #expect(fake.calls.filter { $0.hasSuffix("/bin/true") }.count == 1, "the verdict is remembered: \(fake.calls)")
        #expect(!fake.calls.contains { $0.contains("-- /bin/sh") })
    }
}
