import Foundation

/// Who said a message.
public enum Role: String, Sendable, Hashable, Codable {
    case system, user, assistant, tool
}

/// The kind of a media attachment.
public enum MediaKind: String, Sendable, Hashable, Codable {
    case image, audio, video, file
}

/// A media file referenced by path; the bytes are never held in memory by the message model.
public struct MediaReference: Sendable, Hashable, Codable {
    /// Absolute path of the file on disk.
    public var path: String
    /// MIME type detected from the file's content (magic bytes), e.g. `image/png`.
    public var mimeType: String
    /// Size of the file in bytes.
    public var byteCount: Int64
    /// Lowercase hex SHA-256 of the file's content.
    public var sha256: String

    public init(path: String, mimeType: String, byteCount: Int64, sha256: String) {
        self.path = path
        self.mimeType = mimeType
        self.byteCount = byteCount
        self.sha256 = sha256
    }
}

/// A tool invocation requested by the model.
public struct ToolCall: Sendable, Hashable, Codable {
    /// Provider-assigned call id (synthesized when the provider has none, e.g. Gemini).
    public var id: String
    public var name: String
    /// The arguments as raw JSON text, exactly as the model produced them.
    public var arguments: String

    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// The outcome of a tool call, sent back to the model.
public struct ToolResult: Sendable, Hashable, Codable {
    public var callID: String
    public var name: String
    public var content: String
    public var isError: Bool

    public init(callID: String, name: String, content: String, isError: Bool = false) {
        self.callID = callID
        self.name = name
        self.content = content
        self.isError = isError
    }
}

/// One part of a message's content.
public enum ContentPart: Sendable, Hashable, Codable {
    case text(String)
    case image(MediaReference)
    case audio(MediaReference)
    case video(MediaReference)
    case file(MediaReference)
    case toolCall(ToolCall)
    case toolResult(ToolResult)
}

/// One message of a conversation, for every provider.
public struct Message: Sendable, Hashable, Codable {
    public var role: Role
    public var parts: [ContentPart]

    public init(role: Role, parts: [ContentPart]) {
        self.role = role
        self.parts = parts
    }

    /// A message holding one text part.
    public static func text(_ role: Role, _ text: String) -> Message {
        Message(role: role, parts: [.text(text)])
    }

    /// All text parts joined.
    public var text: String {
        parts.compactMap { if case .text(let t) = $0 { return t } else { return nil } }.joined()
    }

    /// The tool calls this message requests.
    public var toolCalls: [ToolCall] {
        parts.compactMap { if case .toolCall(let c) = $0 { return c } else { return nil } }
    }
}
