// mg-bench: prints speed and memory figures, measured in the same run as their reference
// (the git CLI, or the target named in the issue). Not a test: nothing here fails a build.
import Foundation

let benchmarks: [String: (String, @Sendable () async throws -> Void)] = BenchmarkRegistry.all

let arguments = CommandLine.arguments.dropFirst()
if arguments.isEmpty || arguments.first == "--help" {
    print("usage: mg-bench <name>... | all   ·   mg-bench fixrate [options] (fixrate --help)\n")
    let described = benchmarks.mapValues(\.0).merging(BenchmarkRegistry.withArguments.mapValues(\.0)) { $1 }
    for (name, text) in described.sorted(by: { $0.key < $1.key }) {
        print("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(text)")
    }
    exit(0)
}
if let first = arguments.first, let entry = BenchmarkRegistry.withArguments[first] {
    print("== \(first): \(entry.0)")
    do {
        try await entry.1(Array(arguments.dropFirst()))
    } catch {
        FileHandle.standardError.write(Data("mg-bench: \(error)\n".utf8))
        exit(64)
    }
    exit(0)
}
let names = arguments.first == "all" ? benchmarks.keys.sorted() : Array(arguments)
for name in names {
    guard let entry = benchmarks[name] else {
        FileHandle.standardError.write(Data("mg-bench: unknown benchmark '\(name)'\n".utf8))
        exit(64)
    }
    print("== \(name): \(entry.0)")
    try await entry.1()
}
