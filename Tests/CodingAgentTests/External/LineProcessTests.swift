import CodingAgent
import Foundation
import Testing

/// `LineProcess`: programs mg talks to in lines (CLI agents, adapters, stdio MCP servers).
@Suite struct LineProcessTests {
    let environment = ProcessInfo.processInfo.environment

    @Test func conversesLineByLineAndReportsTheExit() async throws {
        // Replies to each line it reads; the reply to a line is written before the next line is read.
        let script = "while read -r line; do echo \"got $line\"; [ \"$line\" = bye ] && break; done; echo tail >&2; exit 3"
        let replies = Lines()
        let exit = try await LineProcess.run(
            LineProcess.Launch(executable: "/bin/sh", arguments: ["-c", script], environment: environment),
            started: { writer in
                await replies.attach(writer)
                await writer.write("hello")
            },
            stdout: { line in
                await replies.append(line)
                if line == "got hello" { await replies.writer?.write("bye") }
            })
        #expect(await replies.lines == ["got hello", "got bye"])
        #expect(exit.code == 3 && !exit.succeeded)
        #expect(exit.stderrTail == ["tail"])
    }

    @Test func aRunningProgramAnswersTheWriterFromTheOutputHandler() async throws {
        let script = "read -r a; echo \"1:$a\"; read -r b; echo \"2:$b\"; read -r c; echo \"3:$c\""
        let seen = Lines()
        let exit = try await LineProcess.run(
            LineProcess.Launch(executable: "/bin/sh", arguments: ["-c", script], environment: environment),
            started: { writer in
                await seen.attach(writer)
                await writer.write("x")
            },
            stdout: { line in
                await seen.append(line)
                await seen.writer?.write("after \(line)")
            })
        #expect(await seen.lines == ["1:x", "2:after 1:x", "3:after 2:after 1:x"])
        #expect(exit.succeeded)
    }

    @Test func timeoutKillsTheProcessGroup() async throws {
        let exit = try await LineProcess.run(
            LineProcess.Launch(executable: "/bin/sh", arguments: ["-c", "sleep 30 & sleep 30; echo never"], environment: environment),
            timeout: .milliseconds(300), stdout: { _ in })
        #expect(exit.timedOut)
        #expect(exit.summary == "timed out")
    }

    @Test func aMissingProgramIsNamed() async throws {
        await #expect(throws: LineProcessError.notFound("mg-no-such-program")) {
            _ = try await LineProcess.run(
                LineProcess.Launch(executable: "mg-no-such-program", environment: environment), stdout: { _ in })
        }
        #expect(ExecutableLocator.locate("sh", environment: ["PATH": "/nowhere:/bin"]) == "/bin/sh")
        #expect(ExecutableLocator.locate("sh", environment: ["PATH": "/nowhere"]) == nil)
    }
}

/// Lines seen by a handler, and the writer to answer with.
private actor Lines {
    var lines: [String] = []
    var writer: LineWriter?
    func append(_ line: String) { lines.append(line) }
    func attach(_ writer: LineWriter) { self.writer = writer }
}
