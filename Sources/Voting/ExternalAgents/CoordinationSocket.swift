import CodingAgent
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The session's coordination socket: a Unix-domain socket in a private folder (mode 0700)
/// through which `mg mcp`, started by a CLI agent, reaches the running session.
///
/// Each connection says `hello` with its agent id and that agent's random token (handed to the
/// CLI in its MCP config, never in the agent's files); then every `tool_call` line is served by
/// that agent's `ToolCallServer`, so an answer or vote from a CLI agent takes exactly the path
/// of an API agent's. Connections run on their own threads (blocking reads), each call hops
/// onto the cooperative pool and back.
public final class CoordinationSocket: Sendable {
    /// The socket's path (what `mg mcp --socket` takes).
    public let path: String
    private let folder: String
    private let listener: Int32
    private let agents = Mutex<[String: (token: String, server: ToolCallServer, tools: [ToolDefinition])]>([:])
    private let stopped = Atomic<Bool>(false)

    /// Creates the socket in a new private folder under the temporary directory.
    init() throws(ExternalRunError) {
        let folder = "/tmp/mg-\(UUID().uuidString.prefix(8).lowercased())"
        guard mkdir(folder, 0o700) == 0 else { throw .socket("cannot create \(folder): \(String(cString: strerror(errno)))") }
        let path = folder + "/coordination.sock"
        guard let fd = UnixSocket.open(path, listening: true) else {
            throw .socket("cannot listen on \(path): \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.folder = folder
        listener = fd
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.name = "mg coordination socket"
        thread.start()
    }

    /// Lets `agent` in with `token`; its calls go to `server`, offering `tools`.
    func register(agent: String, token: String, server: ToolCallServer, tools: [ToolDefinition]) {
        agents.withLock { $0[agent] = (token, server, tools) }
    }

    /// Closes the socket and removes its folder; connected clients see end of file.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
        rmdir(folder)
    }

    deinit { stop() }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [weak self] in
                self?.serve(client)
                close(client)
            }
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        var splitter = LineReader(fd: fd)
        var agent: (token: String, server: ToolCallServer, tools: [ToolDefinition])?
        while let line = splitter.next() {
            switch ToolChannel.parse(line) {
            case .hello(let id, let token):
                let entry = agents.withLock { $0[id] }
                guard let entry, !token.isEmpty, entry.token == token else {
                    send(ToolChannel.error("Agent \(id) is not part of this session, or its token is wrong."), to: fd)
                    return
                }
                agent = entry
                send(
                    JSONValue.object(["type": .string("welcome"), "tools": ToolChannel.definitions(entry.tools)]).jsonText,
                    to: fd)
            case .toolCall(let id, let name, let arguments):
                guard let server = agent?.server else {
                    send(ToolChannel.error("Say hello with your agent id and token first."), to: fd)
                    return
                }
                let outcome =
                    BlockingBridge.wait { await server.handle(id: id, name: name, arguments: arguments) }
                    ?? .failure("The session could not run \(name).")
                send(ToolChannel.result(id: id, outcome), to: fd)
            case .log, .usage, .other:
                continue
            }
        }
    }

    private func send(_ line: String, to fd: Int32) {
        UnixSocket.send(line, to: fd)
    }
}

/// Reads lines from a blocking file descriptor.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// The next line without its newline; `nil` at end of file.
    mutating func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 {
                guard !buffer.isEmpty else { return nil }
                defer { buffer.removeAll() }
                return String(decoding: buffer, as: UTF8.self)
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}

/// Runs async work from a thread that may block (a socket thread), never from the pool.
enum BlockingBridge {
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T? {
        let semaphore = DispatchSemaphore(value: 0)
        let box = Mutex<T?>(nil)
        Task {
            let value = await body()
            box.withLock { $0 = value }
            semaphore.signal()
        }
        semaphore.wait()
        return box.withLock { $0 }
    }
}

/// An external agent could not be run.
public enum ExternalRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The coordination socket could not be made.
    case socket(String)

    public var description: String {
        switch self {
        case .socket(let problem): "The coordination socket for CLI agents could not be created: \(problem)"
        }
    }
}
