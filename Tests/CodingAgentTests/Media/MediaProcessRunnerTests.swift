import Foundation
import Testing
@testable import CodingAgent

/// ffprobe/ffmpeg runs: whole stdout, the tail of stderr, exit status, and a deadline that holds
/// even against a helper that ignores SIGTERM.
@Suite struct MediaProcessRunnerTests {
    private func runner(with script: String, named tool: String) throws -> (MediaProcessRunner, String) {
        let bin = try MediaFixtures.scratchDirectory()
        try script.write(toFile: bin + "/" + tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/" + tool)
        var runner = MediaProcessRunner()
        runner.searchPath = [bin]
        return (runner, bin)
    }

    @Test func keepsAllOfStdoutAndTheEndOfAChattyStderr() async throws {
        // 200 KB of stdout and ~1 MB of stderr: neither pipe may fill up and stall the helper.
        let (runner, bin) = try runner(
            with: """
                #!/bin/sh
                i=0
                while [ $i -lt 2000 ]; do
                  printf '%0100d\\n' $i
                  printf 'warning %0500d\\n' $i >&2
                  i=$((i+1))
                done
                echo "final: the last line" >&2
                exit 3

                """, named: "ffmpeg")
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let output = try await runner.run("ffmpeg", [], timeout: .seconds(60), subject: "clip.mp4")

        #expect(output.status == 3)
        #expect(output.standardOutput.count == 2000 * 101)
        #expect(String(decoding: output.standardOutput.prefix(101), as: UTF8.self) == String(repeating: "0", count: 100) + "\n")
        #expect(output.standardErrorTail.utf8.count == MediaProcessOutcome.errorTailLimit)
        #expect(output.standardErrorTail.hasSuffix("final: the last line\n"))
    }

    @Test func aHelperIgnoringSIGTERMIsKilledAfterTheGracePeriod() async throws {
        let (runner, bin) = try runner(with: "#!/bin/sh\ntrap '' TERM\nexec sleep 120\n", named: "ffprobe")
        defer { try? FileManager.default.removeItem(atPath: bin) }
        let started = ContinuousClock.now
        await #expect(throws: MediaError.timedOut(tool: "ffprobe", path: "stuck.mp4", seconds: 0.2)) {
            _ = try await runner.run("ffprobe", [], timeout: .milliseconds(200), subject: "stuck.mp4")
        }
        // SIGTERM is ignored; SIGKILL follows a second later. The helper would sleep 120 s.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
