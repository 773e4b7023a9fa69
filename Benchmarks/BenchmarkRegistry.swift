/// Every benchmark `mg-bench` knows: name → (one-line description, body).
/// Add an entry per benchmark file.
enum BenchmarkRegistry {
    static let all: [String: (String, @Sendable () async throws -> Void)] = [
        "sessions": ("open a 1,000-session x 5-turn store and list it (`mg sessions`)", SessionBenchmarks.listing),
        "sse": ("SSE parsing throughput on ~128 MB of OpenAI-style chunks", TransportBenchmarks.sseThroughput),
        "git": (GitBenchmarks.description, GitBenchmarks.run),
        "voting": (VotingBenchmarks.description, VotingBenchmarks.run),
        "upload": ("peak RSS streaming a 1 GB file as a base64 body to loopback", TransportBenchmarks.uploadMemory),
    ]
}
