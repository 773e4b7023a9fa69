/// Every benchmark `mg-bench` knows: name → (one-line description, body).
/// Add an entry per benchmark file.
enum BenchmarkRegistry {
    static let all: [String: (String, @Sendable () async throws -> Void)] = [:]
}
