import Foundation
@testable import CodingAgent

/// A fresh directory under the system temp dir, removed when the value is dropped.
final class TemporaryWorkspace {
    let url: URL
    let root: WorkspaceRoot
    let outside: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mg-tools-\(UUID().uuidString)")
        url = base.appendingPathComponent("root")
        outside = base.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        root = try WorkspaceRoot(url.path)
    }

    deinit { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }

    var context: ToolContext { ToolContext(workspace: root) }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    func writeBytes(_ relative: String, _ bytes: [UInt8]) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: url.appendingPathComponent(relative), encoding: .utf8)
    }

    func symlink(_ relative: String, to target: String) throws {
        let link = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
    }

    /// Runs `tool` with arguments given as JSON text.
    func call(_ tool: any AgentTool, _ json: String) async throws -> ToolOutcome {
        let arguments = try #require(JSONValue.parse(json))
        return await tool.run(arguments: arguments, context: context)
    }
}

import Testing
