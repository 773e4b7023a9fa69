import Foundation

/// Shared rules for putting media parts into provider requests.
///
/// Every provider takes some media kinds and not others. A part a provider cannot take is replaced
/// by a text part that says what was attached and why the model cannot see it, so the model can
/// tell the user (or ask for another format) instead of silently answering without it.
public enum MediaEncoding {
    /// The text sent in place of a media part the provider cannot receive.
    public static func unsupportedNotice(
        kind: MediaKind, media: MediaReference, provider: String, reason: String
    ) -> String {
        let name = (media.path as NSString).lastPathComponent
        return "[Attached \(kind.rawValue) \"\(name)\" (\(media.mimeType), \(media.byteCount) bytes) "
            + "is not visible to you: \(provider) \(reason).]"
    }

    /// A `data:` URI head for the file's MIME type, to prefix a spliced base64 payload.
    public static func dataURIPrefix(_ media: MediaReference) -> String {
        "data:\(media.mimeType);base64,"
    }

    /// The file's base name, which some providers want next to a document.
    public static func fileName(_ media: MediaReference) -> String {
        (media.path as NSString).lastPathComponent
    }

    /// OpenAI's `input_audio.format` for a MIME type: only WAV and MP3 are accepted.
    public static func openAIAudioFormat(_ mimeType: String) -> String? {
        switch mimeType.lowercased() {
        case "audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave": return "wav"
        case "audio/mpeg", "audio/mp3", "audio/mpeg3", "audio/x-mpeg-3": return "mp3"
        default: return nil
        }
    }

    /// Image MIME types accepted by OpenAI and Anthropic vision models.
    public static func isCommonImage(_ mimeType: String) -> Bool {
        ["image/png", "image/jpeg", "image/gif", "image/webp"].contains(mimeType.lowercased())
    }

    /// Whether the file is a PDF, the one document type OpenAI and Anthropic read natively.
    public static func isPDF(_ mimeType: String) -> Bool {
        mimeType.lowercased() == "application/pdf"
    }
}

/// A tool call's arguments as a JSON object, for providers that want an object rather than text.
enum WireToolArguments {
    /// The parsed arguments when they are a JSON object; otherwise the raw text under `"_raw"`,
    /// so a malformed call the model made is still shown back to it rather than dropped.
    static func object(_ arguments: String) -> JSONValue {
        let trimmed = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return .object([:]) }
        if let parsed = JSONValue.parse(trimmed), case .object = parsed { return parsed }
        return .object(["_raw": .string(arguments)])
    }
}

/// Applies `extra_body` entries on top of a request body; provider extras win over mg's defaults.
func merge(extraBody: [String: JSONValue], into body: WireJSON) -> WireJSON {
    var result = body
    for key in extraBody.keys.sorted() {
        if let value = extraBody[key] {
            result = result.setting(key, to: .json(value))
        }
    }
    return result
}

/// Joins the text of all system messages, which most providers take outside the message list.
func systemText(of messages: [Message]) -> String? {
    let texts = messages.filter { $0.role == .system }.map(\.text).filter { !$0.isEmpty }
    return texts.isEmpty ? nil : texts.joined(separator: "\n\n")
}

/// Encodes the ordered JSON body as request body parts with the standard JSON content type.
func jsonHeaders(_ extra: [HTTPHeader]) -> [HTTPHeader] {
    [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "text/event-stream")] + extra
}
