import Foundation
import Testing

@testable import Voting

/// The adapters and the custom-tool bridge the binary writes out are the files in `adapters/`.
@Suite struct EmbeddedAdaptersTests {
    @Test func embeddedAdaptersMatchTheFilesOnDisk() throws {
        // The package root is four levels above this file (Tests/VotingTests/ExternalAgents/x.swift).
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let folder = root + "/adapters"
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
        #expect(onDisk.sorted() == EmbeddedAdapters.files.keys.sorted(), "run scripts/embed-resources")
        for name in onDisk {
            #expect(
                try String(contentsOfFile: folder + "/" + name, encoding: .utf8) == EmbeddedAdapters.files[name],
                "\(name) is stale: run scripts/embed-resources")
        }
    }
}
