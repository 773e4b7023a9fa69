import Foundation
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A program mg talks to in lines: CLI coding agents, framework adapters and stdio MCP servers.
///
/// The program runs in its own process group (so a timeout or Ctrl-C ends its children too),
/// its stdout and stderr arrive line by line as they are written, and its stdin stays open for
/// the caller to write lines to until it finishes it. Uses swift-subprocess for the same
/// reasons as `CommandRunner`: a new process group at spawn and streamed pipes.
public enum LineProcess {
    /// What to run.
    public struct Launch: Sendable, Hashable {
        /// The executable: an absolute path, or a name looked up in `PATH` of `environment`.
        public var executable: String
        /// Arguments after the executable.
        public var arguments: [String]
        /// The complete environment of the program.
        public var environment: [String: String]
        /// Where it runs; `nil` keeps mg's directory.
        public var workingDirectory: String?

        /// Creates a launch description.
        public init(executable: String, arguments: [String] = [], environment: [String: String], workingDirectory: String? = nil) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.workingDirectory = workingDirectory
        }
    }

    /// How the program ended.
    public struct Exit: Sendable, Hashable {
        /// Exit code when it exited normally.
        public var code: Int32?
        /// Signal when it was killed.
        public var signal: Int32?
        /// Whether the time limit killed it.
        public var timedOut: Bool
        /// The last lines it wrote to stderr (at most 20), for error messages.
        public var stderrTail: [String]

        /// Whether it exited with status 0.
        public var succeeded: Bool { code == 0 && !timedOut }

        /// "exit code 2" / "killed by signal 9" / "timed out", for messages.
        public var summary: String {
            if timedOut { return "timed out" }
            if let code { return "exit code \(code)" }
            return "killed by signal \(signal ?? 0)"
        }
    }

    /// Runs `launch` until it exits (or `timeout` passes, or the calling task is cancelled: then
    /// the whole process group is killed). `started` gets the stdin writer before any output is
    /// read; `stdout` and `stderr` get each line without its newline, in order.
    public static func run(
        _ launch: Launch, timeout: Duration? = nil,
        started: @escaping @Sendable (LineWriter) async -> Void = { _ in },
        stdout: @escaping @Sendable (String) async -> Void,
        stderr: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws(LineProcessError) -> Exit {
        guard let path = ExecutableLocator.locate(launch.executable, environment: launch.environment) else {
            throw .notFound(launch.executable)
        }
        _ = ignoreBrokenPipes
        var options = PlatformOptions()
        options.processGroupID = 0
        let keys = Dictionary(uniqueKeysWithValues: launch.environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })
        let tail = StderrTail()
        let execution: ExecutionResult<Bool, SequenceOutput, SequenceOutput>
        do {
            execution = try await Subprocess.run(
                .path(FilePath(path)), arguments: Arguments(launch.arguments), environment: .custom(keys),
                workingDirectory: launch.workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .inputWriter, output: .sequence, error: .sequence
            ) { execution -> Bool in
                // The deadline kills the group at once; a cancellation (Ctrl-C, the round ending)
                // or `LineWriter.terminate()` asks it to stop first (SIGTERM, SIGKILL 2 s later).
                let (_, trigger) = await ProcessWatchdog.watching(
                    pid: execution.processIdentifier.value, target: .processGroup, escalation: .kill,
                    onCancellation: .terminate(grace: .seconds(2)), timeout: timeout
                ) { watchdog in
                    let writer = LineWriter(writer: execution.standardInputWriter, watchdog: watchdog)
                    await started(writer)
                    await withTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { await pump(execution.standardOutput, into: stdout) }
                        tasks.addTask {
                            await pump(execution.standardError) { line in
                                await tail.append(line)
                                await stderr(line)
                            }
                        }
                    }
                    await writer.finish()
                }
                return trigger == .deadline
            }
        } catch {
            throw .cannotStart(launch.executable, reason: "\(error)")
        }
        var exit = Exit(code: nil, signal: nil, timedOut: execution.closureResult, stderrTail: await tail.lines)
        switch execution.terminationStatus {
        case .exited(let code): exit.code = code
        case .signaled(let signal): exit.signal = signal
        }
        return exit
    }

    /// Writing to a program that has exited must be an error (`LineWriter.write` returns false),
    /// not SIGPIPE ending mg: pipes have no per-descriptor opt-out on Linux, so the signal is
    /// ignored process-wide once, as servers do.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Feeds `sequence` to `handle` line by line (a last line without newline counts too).
    static func pump(_ sequence: SubprocessOutputSequence, into handle: @Sendable (String) async -> Void) async {
        var splitter = LineSplitter()
        do {
            for try await buffer in sequence {
                let lines = buffer.withUnsafeBytes { splitter.append($0) }
                for line in lines { await handle(line) }
            }
        } catch {}
        if let last = splitter.finish() { await handle(last) }
    }
}

/// Writes lines to a running program's stdin; valid while `LineProcess.run` runs.
public actor LineWriter {
    private let writer: StandardInputWriter
    private let watchdog: ProcessWatchdog
    private var finished = false

    init(writer: StandardInputWriter, watchdog: ProcessWatchdog) {
        self.writer = writer
        self.watchdog = watchdog
    }

    /// Writes `line` and a newline; false when the program no longer reads (it exited, or stdin is closed).
    @discardableResult
    public func write(_ line: String) async -> Bool {
        guard !finished else { return false }
        do {
            _ = try await writer.write(Array((line + "\n").utf8))
            return true
        } catch {
            return false
        }
    }

    /// Closes stdin: the program sees end of file.
    public func finish() async {
        guard !finished else { return }
        finished = true
        _ = try? await writer.finish()
    }

    /// Asks the program's whole process group to stop (SIGTERM), and kills it two seconds later;
    /// nothing once the program has ended (its group id may belong to someone else by then).
    public nonisolated func terminate() {
        watchdog.stop(.cancellation)
    }
}

/// The last lines a program wrote to stderr.
private actor StderrTail {
    private(set) var lines: [String] = []

    func append(_ line: String) {
        lines.append(line)
        if lines.count > 20 { lines.removeFirst(lines.count - 20) }
    }
}

/// Splits a byte stream into UTF-8 lines (`\n` or `\r\n`); lines over 4 MiB are cut.
struct LineSplitter {
    private var pending: [UInt8] = []
    static let maxLineBytes = 4 << 20

    /// The complete lines in `bytes` (with what came before).
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(Self.text(pending))
                pending.removeAll(keepingCapacity: true)
            } else if pending.count < Self.maxLineBytes {
                pending.append(byte)
            }
        }
        return lines
    }

    /// The last line when the stream ended without a newline.
    mutating func finish() -> String? {
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return Self.text(pending)
    }

    private static func text(_ bytes: [UInt8]) -> String {
        var line = String(decoding: bytes, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }
}

/// Why a program could not be run.
public enum LineProcessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No such executable on `PATH`.
    case notFound(String)
    /// The executable exists but could not be started.
    case cannotStart(String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let name): "\(name) was not found on PATH"
        case .cannotStart(let name, let reason): "\(name) could not be started: \(reason)"
        }
    }
}

/// Finds executables the way a shell does, without running one.
public enum ExecutableLocator {
    /// The absolute path of `name`: as given when it contains a `/` and is executable, else the
    /// first executable `PATH` entry (of `environment`) holding it; `nil` when there is none.
    public static func locate(_ name: String, environment: [String: String]) -> String? {
        let fm = FileManager.default
        if name.contains("/") { return fm.isExecutableFile(atPath: name) ? name : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                fm.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }
}
