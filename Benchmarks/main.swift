// mg-bench: prints speed and memory figures, measured in the same run as their reference
// (the git CLI, or the target named in the issue). Not a test: nothing here fails a build.
import Foundation

let benchmarks: [String: (String, @Sendable () async throws -> Void)] = BenchmarkRegistry.all

let arguments = CommandLine.arguments.dropFirst()
if arguments.isEmpty || arguments.first == "--help" {
    print("usage: mg-bench <name>... | all\n")
    for (name, entry) in benchmarks.sorted(by: { $0.key < $1.key }) {
        print("  \(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(entry.0)")
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
