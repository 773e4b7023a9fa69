import Foundation

/// Inline-image escape sequences for terminals that can show pictures, streamed in chunks so a
/// large image is never base64-encoded whole in memory.
public enum TerminalImageProtocol: Sendable, Hashable {
    /// kitty graphics protocol (`ESC _ G … ESC \`), PNG payloads in 4096-byte base64 chunks.
    case kitty
    /// iTerm2 inline images (`ESC ] 1337 ; File=… : <base64> BEL`), also spoken by WezTerm.
    case iTerm2

    /// The protocol the terminal speaks, or `nil` (then only the text summary is shown).
    /// Never an image when standard output is not a terminal (pipes, files, CI logs).
    public static func detect(environment: [String: String], isTerminal: Bool) -> TerminalImageProtocol? {
        guard isTerminal else { return nil }
        if environment["KITTY_WINDOW_ID"] != nil || (environment["TERM"] ?? "").contains("kitty") {
            return .kitty
        }
        let program = environment["TERM_PROGRAM"] ?? ""
        if program == "iTerm.app" || program == "WezTerm" { return .iTerm2 }
        return nil
    }

    /// Image types the protocol displays directly (kitty's `f=100` is PNG only; others are
    /// converted to a PNG thumbnail first).
    public func displays(_ mimeType: String) -> Bool {
        switch self {
        case .kitty: mimeType == "image/png"
        case .iTerm2: ["image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"].contains(mimeType)
        }
    }

    /// Raw bytes per chunk: 3072 bytes encode to exactly 4096 base64 characters, kitty's maximum
    /// chunk, and a multiple of 3 keeps every chunk but the last free of padding.
    static let rawChunkSize = 3072

    /// Writes the escape sequences showing the image at `path` to `write`, chunk by chunk.
    public func writeImage(path: String, displayName: String, write: (Data) -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let size =
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        var chunk = try handle.read(upToCount: Self.rawChunkSize) ?? Data()
        switch self {
        case .kitty:
            // First chunk carries the control keys: transmit-and-display (a=T), PNG (f=100), quiet (q=2).
            var first = true
            while true {
                let next = try handle.read(upToCount: Self.rawChunkSize) ?? Data()
                let more = next.isEmpty ? 0 : 1
                let keys = first ? "a=T,f=100,q=2,m=\(more)" : "m=\(more)"
                write(Data("\u{1B}_G\(keys);".utf8) + chunk.base64EncodedData() + Data("\u{1B}\\".utf8))
                first = false
                if next.isEmpty { break }
                chunk = next
            }
        case .iTerm2:
            let name = Data(displayName.utf8).base64EncodedString()
            write(Data("\u{1B}]1337;File=name=\(name);size=\(size);inline=1;preserveAspectRatio=1:".utf8))
            while !chunk.isEmpty {
                write(chunk.base64EncodedData())
                chunk = try handle.read(upToCount: Self.rawChunkSize) ?? Data()
            }
            write(Data("\u{07}".utf8))
        }
        write(Data("\n".utf8))
    }
}
