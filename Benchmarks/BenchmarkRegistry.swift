/// Every benchmark `mg-bench` knows: name → (one-line description, body).
/// Add an entry per benchmark file.
enum BenchmarkRegistry {
    /// Benchmarks that take their own arguments (`mg-bench fixrate --agents 1,3 …`).
    static let withArguments: [String: (String, @Sendable ([String]) async throws -> Void)] = [
        "fixrate": (FixRateBenchmark.description, FixRateBenchmark.run)
    ]

    static let all: [String: (String, @Sendable () async throws -> Void)] = [
        "sessions": ("open a 1,000-session x 5-turn store and list it (`mg sessions`)", SessionBenchmarks.listing),
        "sse": ("SSE parsing throughput on ~128 MB of OpenAI-style chunks", TransportBenchmarks.sseThroughput),
        "git": (GitBenchmarks.description, GitBenchmarks.run),
        "voting": (VotingBenchmarks.description, VotingBenchmarks.run),
        "media": (MediaBenchmarks.description, MediaBenchmarks.run),
        "upload": ("peak RSS streaming a 1 GB file as a base64 body to loopback", TransportBenchmarks.uploadMemory),
    ]
}
