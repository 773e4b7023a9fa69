import Foundation
import MGTestSupport
import Testing
@testable import CodingAgent

/// The hand-written SHA-256 against `sha256sum`, at every length around the block and padding
/// boundaries and fed in uneven pieces (whole blocks come straight from the caller's buffer).
@Suite struct SHA256HasherTests {
    func reference(_ data: Data) throws -> String {
        let file = NSTemporaryDirectory() + "mg-sha-\(UUID().uuidString)"
        try data.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try ProcessRunner.run("/usr/bin/env", ["sha256sum", file], in: "/", environment: ProcessInfo.processInfo.environment)
        return String(run.stdout.prefix(64))
    }

    @Test func matchesSha256sumAtBoundariesAndInPieces() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537, 1_048_579] {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let expected = try reference(data)

            var whole = SHA256Hasher()
            whole.update(data)
            #expect(whole.finalize() == expected, "length \(length), one piece")

            var pieces = SHA256Hasher()
            var offset = 0
            while offset < data.count {
                let size = min(data.count - offset, Int.random(in: 1...200, using: &generator))
                pieces.update(data[data.startIndex + offset ..< data.startIndex + offset + size])
                offset += size
            }
            #expect(pieces.finalize() == expected, "length \(length), uneven pieces")

            var streamed = StreamingSHA256()
            streamed.update(data)
            #expect(streamed.finalize() == expected)
        }
        // A non-contiguous collection takes the copying path.
        var lazy = SHA256Hasher()
        lazy.update((0..<100).lazy.map { UInt8($0) })
        #expect(lazy.finalize() == (try reference(Data((0..<100).map { UInt8($0) }))))
    }
}
