import Foundation

/// A JSON request body under construction, with media files spliced in by reference.
///
/// Provider bodies are built as this tree and then written out as `[BodyPart]`: JSON text becomes
/// `.bytes`, and each `.base64File` becomes a `BodyPart.base64File` placed exactly where the base64
/// string belongs, so the transport encodes the file while it sends it and no media byte is ever
/// held in memory. Object keys keep their insertion order, which keeps bodies readable and stable.
public indirect enum WireJSON: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([WireJSON])
    /// An object whose keys are written in the given order.
    case object([(String, WireJSON)])
    /// Any JSON value (tool schemas, parsed tool arguments, `extra_body` entries).
    case json(JSONValue)
    /// A JSON string `"<prefix><base64 of the file at path>"`; the prefix is usually empty or a
    /// `data:<mime>;base64,` URI head.
    case base64File(path: String, prefix: String)

    /// The body as parts: JSON text segments with the media files spliced in where they go.
    public func bodyParts() -> [BodyPart] {
        var writer = Writer()
        writer.write(self)
        return writer.finish()
    }

    /// Sets `key` on an object (replacing an existing key in place), as `extra_body` merging needs.
    public func setting(_ key: String, to value: WireJSON) -> WireJSON {
        guard case .object(var pairs) = self else { return self }
        if let index = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[index].1 = value
        } else {
            pairs.append((key, value))
        }
        return .object(pairs)
    }

    /// Builds an object from pairs, dropping entries whose value is `nil` (optional settings).
    public static func object(dropping pairs: [(String, WireJSON?)]) -> WireJSON {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    private struct Writer {
        var parts: [BodyPart] = []
        var buffer = Data()

        mutating func finish() -> [BodyPart] {
            flush()
            return parts
        }

        mutating func flush() {
            if !buffer.isEmpty {
                parts.append(.bytes(buffer))
                buffer = Data()
            }
        }

        mutating func write(_ value: WireJSON) {
            switch value {
            case .null: append("null")
            case .bool(let flag): append(flag ? "true" : "false")
            case .int(let number): append(String(number))
            case .double(let number): append(number.isFinite ? String(number) : "null")
            case .string(let text): appendQuoted(text)
            case .json(let json): append(json.jsonText)
            case .array(let items):
                append("[")
                for (offset, item) in items.enumerated() {
                    if offset > 0 { append(",") }
                    write(item)
                }
                append("]")
            case .object(let pairs):
                append("{")
                for (offset, pair) in pairs.enumerated() {
                    if offset > 0 { append(",") }
                    appendQuoted(pair.0)
                    append(":")
                    write(pair.1)
                }
                append("}")
            case .base64File(let path, let prefix):
                // The opening quote and prefix end one text segment; the closing quote starts the next.
                append("\"")
                appendEscaped(prefix)
                flush()
                parts.append(.base64File(path: path))
                append("\"")
            }
        }

        mutating func append(_ text: String) {
            buffer.append(contentsOf: text.utf8)
        }

        mutating func appendQuoted(_ text: String) {
            append("\"")
            appendEscaped(text)
            append("\"")
        }

        mutating func appendEscaped(_ text: String) {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): append("\\\"")
                case UInt8(ascii: "\\"): append("\\\\")
                case UInt8(ascii: "\n"): append("\\n")
                case UInt8(ascii: "\r"): append("\\r")
                case UInt8(ascii: "\t"): append("\\t")
                case 0..<0x20:
                    let hex = String(byte, radix: 16)
                    append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: buffer.append(byte)
                }
            }
        }
    }
}

extension WireJSON {
    /// Converts a plain JSON value (no media) into the wire tree.
    public init(_ value: JSONValue) {
        self = .json(value)
    }
}
