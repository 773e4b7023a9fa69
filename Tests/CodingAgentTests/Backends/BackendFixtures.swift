import Foundation
import Testing

@testable import CodingAgent

/// Media files, tools and conversations shared by the backend tests.
struct BackendFixtures {
    let directory: URL
    let image: MediaReference
    let audio: MediaReference
    let video: MediaReference
    let pdf: MediaReference
    let imageBytes: Data
    let audioBytes: Data
    let pdfBytes: Data

    /// Writes small but real-looking media files into a fresh temporary directory.
    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mg-backends-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // PNG signature + arbitrary bytes (every byte value, so base64 padding and `+`/`/` occur).
        imageBytes = Data(
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0...255).map { UInt8($0) } + [7, 7])
        audioBytes =
            Data("RIFF\u{24}\u{0}\u{0}\u{0}WAVEfmt ".utf8) + Data((0..<1000).map { UInt8(($0 * 31) % 256) })
        pdfBytes = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
        image = try Self.write(imageBytes, "shot.png", "image/png", in: directory)
        audio = try Self.write(audioBytes, "voice.wav", "audio/wav", in: directory)
        video = try Self.write(Data(repeating: 1, count: 64), "clip.mp4", "video/mp4", in: directory)
        pdf = try Self.write(pdfBytes, "spec.pdf", "application/pdf", in: directory)
    }

    static func write(_ data: Data, _ name: String, _ mime: String, in directory: URL) throws
        -> MediaReference
    {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return MediaReference(path: url.path, mimeType: mime, byteCount: Int64(data.count), sha256: "")
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static let tools = [
        ToolDefinition(
            name: "read_file", description: "Read a file",
            parameters: .object([
                "type": .string("object"),
                "properties": .object(["path": .object(["type": .string("string")])]),
            ])),
        ToolDefinition(
            name: "list_files", description: "List files",
            parameters: .object(["type": .string("object"), "properties": .object([:])])),
    ]

    /// A conversation touching every part kind: system, user media, parallel calls and their results.
    func conversation() -> [Message] {
        [
            .text(.system, "You are terse."),
            Message(
                role: .user,
                parts: [.text("Look at these."), .image(image), .audio(audio), .video(video), .file(pdf)]),
            Message(
                role: .assistant,
                parts: [
                    .text("Reading."),
                    .toolCall(ToolCall(id: "call_a", name: "read_file", arguments: #"{"path":"a.txt"}"#)),
                    .toolCall(ToolCall(id: "call_b", name: "list_files", arguments: "{}")),
                ]),
            Message(
                role: .tool,
                parts: [.toolResult(ToolResult(callID: "call_a", name: "read_file", content: "alpha"))]),
            Message(
                role: .tool,
                parts: [
                    .toolResult(
                        ToolResult(callID: "call_b", name: "list_files", content: "a.txt", isError: true))
                ]),
        ]
    }
}

/// The body the transport would send: each file part read and base64-encoded in place.
func materialize(_ parts: [BodyPart]) throws -> Data {
    var out = Data()
    for part in parts {
        switch part {
        case .bytes(let data): out.append(data)
        case .file(let path): out.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        case .base64File(let path):
            out.append(Data(try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString().utf8))
        }
    }
    return out
}

/// Parses a materialized body as a JSON object.
func bodyObject(_ parts: [BodyPart]) throws -> [String: Any] {
    let data = try materialize(parts)
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// Feeds events to a decoder and collects every chunk, ending with `finish()`.
func decodeAll<D: StreamDecoder>(_ decoder: D, _ events: [SSEEvent]) throws -> [StreamChunk] {
    var decoder = decoder
    var chunks: [StreamChunk] = []
    for event in events { chunks += try decoder.decode(event) }
    return chunks + (try decoder.finish())
}

/// Reassembles tool calls from chunks: index → (id, name, arguments), and checks each was ended.
func assembledCalls(_ chunks: [StreamChunk]) -> [Int: (
    id: String, name: String, arguments: String, ended: Bool
)] {
    var calls: [Int: (id: String, name: String, arguments: String, ended: Bool)] = [:]
    for chunk in chunks {
        switch chunk {
        case .toolCallStart(let index, let id, let name): calls[index] = (id, name, "", false)
        case .toolCallArgumentsDelta(let index, let fragment): calls[index]?.arguments += fragment
        case .toolCallEnd(let index): calls[index]?.ended = true
        default: break
        }
    }
    return calls
}

/// All text deltas joined.
func joinedText(_ chunks: [StreamChunk]) -> String {
    chunks.compactMap { if case .textDelta(let t) = $0 { t } else { nil } }.joined()
}
