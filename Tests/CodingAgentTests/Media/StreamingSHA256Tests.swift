import Foundation
import MGTestSupport
import Testing
@testable import CodingAgent

/// mg's SHA-256 (swift-crypto behind `StreamingSHA256`) against `sha256sum`, at every length
/// around the block and padding boundaries, fed whole, in uneven pieces, and from a file.
@Suite struct StreamingSHA256Tests {
    func reference(_ file: String) throws -> String {
        let run = try ProcessRunner.run("/usr/bin/env", ["sha256sum", file], in: "/", environment: ProcessInfo.processInfo.environment)
        return String(run.stdout.prefix(64))
    }

    @Test func matchesSha256sumAtBoundariesAndInPieces() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 65_537, 1_048_579] {
            let data = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let file = NSTemporaryDirectory() + "mg-sha-\(UUID().uuidString)"
            try data.write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            let expected = try reference(file)

            var whole = StreamingSHA256()
            whole.update(data)
            #expect(whole.finalize() == expected, "length \(length), one piece")

            var pieces = StreamingSHA256()
            var offset = 0
            while offset < data.count {
                let size = min(data.count - offset, Int.random(in: 1...200, using: &generator))
                pieces.update(data[data.startIndex + offset ..< data.startIndex + offset + size])
                offset += size
            }
            #expect(pieces.finalize() == expected, "length \(length), uneven pieces")

            let hashed = try StreamingSHA256.hashFile(at: file)
            #expect(hashed.digest == expected && hashed.byteCount == Int64(length), "length \(length), from the file")
        }
    }
}
