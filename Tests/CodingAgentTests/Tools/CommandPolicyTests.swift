import Foundation
import Testing

@testable import CodingAgent

/// MassGen's command-line policy on `run_command`: allowed/blocked patterns with Python
/// `re.match` semantics, and the limits and mounts of MassGen's docker mode mapped onto the
/// sandbox.
@Suite struct CommandPolicyTests {
    @Test func patternsMatchAtTheStartOnlyAsPythonsReMatch() throws {
        let policy = try CommandPolicy(allowed: ["python", "ls"], blocked: ["python .*--unsafe", "rm"])
        #expect(policy.refusal(for: "python -m pytest") == nil)
        #expect(policy.refusal(for: "ls -la") == nil)
        // Anchored at the start, not at the end: `re.match("ls", "lsof")` matches too.
        #expect(policy.refusal(for: "lsof") == nil)
        #expect(policy.refusal(for: "echo ls")?.contains("not in the allowed list") == true)
        #expect(
            policy.refusal(for: "python x.py --unsafe")?.contains("blocked pattern `python .*--unsafe`")
                == true)
        let blockedOnly = try CommandPolicy(allowed: [], blocked: [".*sudo.*"])
        #expect(
            blockedOnly.refusal(for: "echo hi && sudo rm -rf /")?.contains("blocked pattern `.*sudo.*`")
                == true)
        #expect(blockedOnly.refusal(for: "make test") == nil)
        #expect(
            CommandPolicy.unrestricted.isUnrestricted
                && CommandPolicy.unrestricted.refusal(for: "anything") == nil)
        #expect(throws: CommandPolicyError.invalidPattern("rm (")) {
            try CommandPolicy(allowed: [], blocked: ["rm ("])
        }
    }

    @Test func aRefusedCommandNeverRuns() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("keep.txt", "kept\n")
        var settings = CommandSettings()
        settings.policy = try CommandPolicy(allowed: [], blocked: ["rm "])
        let outcome = try await ws.call(
            RunCommandTool(runner: CommandRunner(settings: settings)), #"{"command": "rm keep.txt"}"#)
        #expect(outcome.isError && outcome.text.hasPrefix("run_command refused"))
        #expect(try ws.read("keep.txt") == "kept\n")
    }

    @Test func cpuListsTakeTheFirstAllowedCPUs() {
        #expect(CommandResourceLimits.cpuList(count: 1, allowed: "0-3") == "0")
        #expect(CommandResourceLimits.cpuList(count: 3, allowed: "2,4-7") == "2,4,5")
        #expect(CommandResourceLimits.cpuList(count: 4, allowed: "0-3") == nil, "all of them: nothing to pin")
        #expect(CommandResourceLimits.cpuList(count: 8, allowed: "0-1") == nil)
    }

    @Test func memoryAndCPULimitsHoldForTheCommand() async throws {
        let ws = try TemporaryWorkspace()
        var settings = CommandSettings(sandbox: .required)
        settings.limits = CommandResourceLimits(memoryBytes: 256 << 20, cpuCount: 1)
        let tool = RunCommandTool(runner: CommandRunner(settings: settings))
        // 512 MB cannot be had under a 256 MB address-space limit; 16 MB can.
        let big = try await ws.call(tool, #"{"command": "python3 -c 'b = bytearray(512 * 1024 * 1024)'"}"#)
        #expect(big.isError && big.text.contains("MemoryError"), "\(big.text)")
        let small = try await ws.call(
            tool, #"{"command": "python3 -c 'b = bytearray(16 * 1024 * 1024); print(len(b))'"}"#)
        #expect(!small.isError, "\(small.text)")
        let limit = try await ws.call(tool, #"{"command": "ulimit -v"}"#)
        #expect(limit.text.contains("262144"), "\(limit.text)")
        if let allowed = CommandResourceLimits.allowedCPUs(),
            CommandResourceLimits.cpuList(count: 1, allowed: allowed) != nil
        {
            let cpus = try await ws.call(tool, #"{"command": "nproc"}"#)
            #expect(cpus.text == "Exit code 0.\n1\n", "\(cpus.text)")
        }
    }

    @Test func readOnlyAndWritableMountsReachTheSandbox() async throws {
        let ws = try TemporaryWorkspace()
        // Under the temporary folder, which the sandbox otherwise replaces with an empty /tmp.
        let reference = ws.outside.appendingPathComponent("reference")
        let copy = ws.outside.appendingPathComponent("copy")
        let real = ws.outside.appendingPathComponent("real")
        for folder in [reference, copy, real] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data("read me\n".utf8).write(to: reference.appendingPathComponent("notes.txt"))
        var settings = CommandSettings(sandbox: .required)
        settings.readOnlyBinds = [reference.path]
        settings.writableBinds = [SandboxBind(source: copy.path, target: real.path)]
        let tool = RunCommandTool(runner: CommandRunner(settings: settings))
        let read = try await ws.call(tool, #"{"command": "cat \#(reference.path)/notes.txt"}"#)
        #expect(read.text.contains("read me"), "\(read.text)")
        let write = try await ws.call(tool, #"{"command": "echo x > \#(reference.path)/notes.txt"}"#)
        #expect(write.isError && write.text.contains("Read-only file system"), "\(write.text)")
        let redirected = try await ws.call(tool, #"{"command": "echo mine > \#(real.path)/out.txt"}"#)
        #expect(!redirected.isError, "\(redirected.text)")
        #expect(try String(contentsOf: copy.appendingPathComponent("out.txt"), encoding: .utf8) == "mine\n")
        #expect(!FileManager.default.fileExists(atPath: real.appendingPathComponent("out.txt").path))
    }
}
