import CodingAgent
import Foundation
import MGTestSupport

/// Transport figures named in the CodingAgent issue: SSE parsing throughput and peak memory while
/// streaming a 1 GB file as a base64 request body.
enum TransportBenchmarks {
    /// Parses ~128 MB of OpenAI-style `chat.completion.chunk` events fed in 16 KB reads.
    static func sseThroughput() async throws {
        var block = Data()
        var eventsPerBlock = 0
        while block.count < 1 << 20 {
            let text = "data: {\"id\":\"chatcmpl-9x2Kq\",\"object\":\"chat.completion.chunk\",\"created\":1732550000,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_45c6de4934\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\" token \(eventsPerBlock) — ünïcode\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            block.append(Data(text.utf8))
            eventsPerBlock += 1
        }
        let repetitions = 128
        let readSize = 16 * 1024
        var parser = SSEParser()
        var events = 0
        var dataBytes = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<repetitions {
                block.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let end = min(offset + readSize, raw.count)
                        for event in parser.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) {
                            events += 1
                            dataBytes += event.data.utf8.count
                        }
                        offset = end
                    }
                }
            }
        }
        let megabytes = Double(block.count * repetitions) / 1_000_000
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "parsed %.1f MB, %d events (%d data bytes) in %.3f s", megabytes, events, dataBytes, seconds))
        print(String(format: "SSE parsing throughput: %.0f MB/s (target >= 100 MB/s)", megabytes / seconds))
        guard events == eventsPerBlock * repetitions else {
            throw BenchmarkFailure("expected \(eventsPerBlock * repetitions) events, parsed \(events)")
        }
    }

    /// Sends a 1 GB sparse file as a base64 body to a count-only loopback server and reports the
    /// process's peak resident memory (server and client together).
    static func uploadMemory() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mg-bench-\(UUID().uuidString).bin").path
        let size: Int64 = 1 << 30
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw BenchmarkFailure("cannot create \(path)") }
        try handle.truncate(atOffset: UInt64(size))  // sparse: reads as zeros, costs no disk
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }

        let server = try LoopbackHTTPServer(options: .init(storeBodies: false)) { _ in .json(#"{"ok":true}"#) }
        defer { server.stop() }
        let before = peakResidentMegabytes()
        let clock = ContinuousClock()
        let started = clock.now
        let prefix = Data(#"{"video":""#.utf8)
        let suffix = Data(#""}"#.utf8)
        let response = try await LibcurlTransport(environment: [:]).send(
            HTTPRequest(
                url: server.url("/upload"), headers: [HTTPHeader("Content-Type", "application/json")],
                body: [.bytes(prefix), .base64File(path: path), .bytes(suffix)]),
            limits: TransferLimits(totalDeadline: .seconds(600), idleTimeout: .seconds(60)))
        for try await _ in response.body {}
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let expected = (size + 2) / 3 * 4 + Int64(prefix.count + suffix.count)
        let received = server.requests.first?.bodyByteCount ?? 0
        let peak = peakResidentMegabytes()
        print(String(format: "sent %.0f MB of base64 body in %.1f s (%.0f MB/s); server counted %d bytes (expected %lld)",
                     Double(received) / 1e6, seconds, Double(received) / 1e6 / seconds, received, expected))
        print(String(format: "peak RSS (VmHWM): %.1f MB before upload, %.1f MB after (target <= 64 MB)", before, peak))
        guard response.status == 200, received == Int(expected) else {
            throw BenchmarkFailure("upload incomplete: status \(response.status), \(received) of \(expected) bytes")
        }
    }

    /// VmHWM from /proc/self/status in MB (Linux), else the getrusage maximum.
    static func peakResidentMegabytes() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kilobytes / 1024
        }
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }
}

/// A benchmark whose run did not do what it measured.
struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
