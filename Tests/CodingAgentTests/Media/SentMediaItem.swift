import Foundation

@testable import CodingAgent

/// One user-side content item as a provider would read it from a recorded request body.
enum SentMediaItem: Equatable {
    case text(String)
    /// A media payload: the wire kind (`image`, `input_audio`, `inline_data`, …), MIME type or
    /// format when the body names one, and the decoded bytes (or the URL when sent by URL).
    case media(kind: String, type: String?, bytes: Data)
    case url(kind: String, url: String)

    var bytes: Data? { if case .media(_, _, let bytes) = self { bytes } else { nil } }
    var text: String? { if case .text(let text) = self { text } else { nil } }
    var kind: String? {
        switch self {
        case .media(let kind, _, _), .url(let kind, _): kind
        case .text: nil
        }
    }

    /// Every user-side item of the body, in order.
    static func items(_ body: [String: Any], _ dialect: ProviderDialect) -> [SentMediaItem] {
        var out: [SentMediaItem] = []
        func decode(_ text: String?) -> Data {
            guard var text else { return Data() }
            if text.hasPrefix("data:"), let comma = text.firstIndex(of: ",") {
                text = String(text[text.index(after: comma)...])
            }
            return Data(base64Encoded: text) ?? Data()
        }
        func payload(_ kind: String, _ type: String?, _ text: String?) {
            if let text, text.hasPrefix("http") {
                out.append(.url(kind: kind, url: text))
            } else {
                out.append(.media(kind: kind, type: type, bytes: decode(text)))
            }
        }
        switch dialect {
        case .chat:
            for message in body["messages"] as? [[String: Any]] ?? []
            where message["role"] as? String == "user" {
                if let text = message["content"] as? String { out.append(.text(text)) }
                for part in message["content"] as? [[String: Any]] ?? [] {
                    switch part["type"] as? String {
                    case "text": out.append(.text(part["text"] as? String ?? ""))
                    case "image_url":
                        payload("image_url", nil, (part["image_url"] as? [String: Any])?["url"] as? String)
                    case "input_audio":
                        let audio = part["input_audio"] as? [String: Any]
                        payload("input_audio", audio?["format"] as? String, audio?["data"] as? String)
                    default: out.append(.text("?unexpected part \(part)"))
                    }
                }
            }
        case .responses:
            for item in body["input"] as? [[String: Any]] ?? [] where item["role"] as? String == "user" {
                for part in item["content"] as? [[String: Any]] ?? [] {
                    switch part["type"] as? String {
                    case "input_text": out.append(.text(part["text"] as? String ?? ""))
                    case "input_image": payload("input_image", nil, part["image_url"] as? String)
                    case "input_file":
                        payload("input_file", part["filename"] as? String, part["file_data"] as? String)
                    default: out.append(.text("?unexpected part \(part)"))
                    }
                }
            }
        case .anthropic:
            for message in body["messages"] as? [[String: Any]] ?? []
            where message["role"] as? String == "user" {
                for block in message["content"] as? [[String: Any]] ?? [] {
                    let source = block["source"] as? [String: Any]
                    switch block["type"] as? String {
                    case "text": out.append(.text(block["text"] as? String ?? ""))
                    case let kind? where source?["type"] as? String == "url":
                        out.append(.url(kind: kind, url: source?["url"] as? String ?? ""))
                    case "image", "document":
                        payload(
                            block["type"] as? String ?? "", source?["media_type"] as? String,
                            source?["data"] as? String)
                    default: out.append(.text("?unexpected block \(block)"))
                    }
                }
            }
        case .gemini:
            for content in body["contents"] as? [[String: Any]] ?? []
            where content["role"] as? String == "user" {
                for part in content["parts"] as? [[String: Any]] ?? [] {
                    if let text = part["text"] as? String { out.append(.text(text)) }
                    if let inline = part["inline_data"] as? [String: Any] {
                        payload("inline_data", inline["mime_type"] as? String, inline["data"] as? String)
                    }
                }
            }
        }
        return out
    }
}

extension Data {
    /// Whether the bytes start like a JPEG picture.
    var isJPEG: Bool { MediaSniffer.detect(self)?.mimeType == "image/jpeg" }
    /// Whether the bytes start like an MP3 file (ID3 tag or MPEG frame sync).
    var isMP3: Bool { MediaSniffer.detect(self)?.mimeType == "audio/mpeg" }
    /// Width and height from a PNG's IHDR chunk.
    var pngSize: (Int, Int)? {
        guard MediaSniffer.detect(self)?.mimeType == "image/png", count >= 24 else { return nil }
        let bytes = [UInt8](self.prefix(24))
        func word(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }
}
