import Foundation

@testable import CodingAgent

/// Helpers shared by the transport tests.
enum TransportTestSupport {
    /// Reads a whole response body.
    static func collect(_ response: HTTPResponse) async throws -> Data {
        var data = Data()
        for try await chunk in response.body { data.append(chunk) }
        return data
    }

    /// A temporary directory removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mg-transport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
    static func pseudoRandomBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Data {
        var state = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }
}
