import Foundation
import Testing

/// Script turns and transcript reading shared by the end-to-end tests of MassGen's keys.
extension FixFixture {
    /// A turn calling tool `name` with `arguments` (JSON object text).
    static func call(_ name: String, _ arguments: String) -> String {
        #"{"tool_calls": [{"name": "\#(name)", "arguments": \#(arguments)}]}"#
    }

    /// A single agent's vote for its own answer, played once its context shows that answer.
    static let voteForSelf =
        ###"{"tool_calls": [{"name": "vote", "arguments": {"agent_id": "agent1", "reason": "tests pass"}}], "await_context": "## agent1 (answer", "await_poll_ms": 30}"###

    /// The first turn's transcript of `agent` (what it was sent and what its tools returned).
    func transcript(agent: String) throws -> String {
        let file = try #require(
            FileManager.default.enumerator(atPath: path + "/.massgen/sessions")?.allObjects
                .compactMap { $0 as? String }.first { $0.hasSuffix("\(agent).turn1.jsonl") })
        return try String(contentsOfFile: path + "/.massgen/sessions/" + file, encoding: .utf8)
    }
}
