import Foundation

/// Reads one line at `mg chat`'s prompt with the terminal's echo and signals off, so Ctrl-C
/// follows the readline convention: with text typed it clears the line; on an empty line it
/// says how to leave, and a second Ctrl-C in a row leaves. Ctrl-D on an empty line leaves too;
/// Backspace, Ctrl-U (clear) and Ctrl-W (delete a word) edit; other escape sequences (arrows)
/// are ignored. Between lines the terminal is put back as it was, so the agents' live view and
/// a turn's Ctrl-C behave as in `mg fix`.
///
/// Written here rather than taken from a library: none on the machine's list edits a line on a
/// terminal, and chat needs only this much.
struct LineEditor {
    /// What the user did at the prompt.
    enum Input: Equatable {
        /// A line (without its newline).
        case line(String)
        /// Leave: Ctrl-D on an empty line, a second Ctrl-C in a row, or the end of input.
        case quit
    }

    let prompt: String
    var input: Int32 = STDIN_FILENO
    var output: Int32 = STDOUT_FILENO

    /// Reads a line; the terminal is restored before it returns.
    func read() -> Input {
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return fallback() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        guard tcsetattr(input, TCSANOW, &raw) == 0 else { return fallback() }
        defer { _ = tcsetattr(input, TCSANOW, &saved) }
        write(prompt)
        var line: [UInt8] = []
        var interruptedEmpty = false
        while true {
            guard let byte = readByte() else { return .quit }
            switch byte {
            case 0x03:  // Ctrl-C
                if line.isEmpty {
                    if interruptedEmpty {
                        write("^C\n")
                        return .quit
                    }
                    write("^C\n(Ctrl-C again or Ctrl-D to leave, /help for commands)\n" + prompt)
                    interruptedEmpty = true
                } else {
                    write("^C\n" + prompt)
                    line = []
                }
                continue
            case 0x04:  // Ctrl-D
                if line.isEmpty {
                    write("\n")
                    return .quit
                }
            case 0x0D, 0x0A:
                write("\n")
                return .line(String(decoding: line, as: UTF8.self))
            case 0x7F, 0x08:
                erase(&line, characters: 1)
            case 0x15:  // Ctrl-U
                erase(&line, characters: String(decoding: line, as: UTF8.self).count)
            case 0x17:  // Ctrl-W
                let text = String(decoding: line, as: UTF8.self)
                let kept = text.trimmingTrailingWord()
                erase(&line, characters: text.count - kept.count)
            case 0x1B:
                skipEscapeSequence()
            default:
                guard byte >= 0x20 else { break }
                line.append(byte)
                _ = Foundation.write(output, [byte], 1)
            }
            interruptedEmpty = false
        }
    }

    /// Without a terminal's settings: a plain `readLine`.
    private func fallback() -> Input {
        write(prompt)
        return readLine().map(Input.line) ?? .quit
    }

    private func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = Foundation.read(input, &byte, 1)
            if count == 1 { return byte }
            if count < 0, errno == EINTR { continue }
            return nil
        }
    }

    /// Removes the last `characters` characters of `line` from it and from the screen.
    private func erase(_ line: inout [UInt8], characters: Int) {
        guard characters > 0, !line.isEmpty else { return }
        let text = String(decoding: line, as: UTF8.self)
        let removed = String(text.suffix(characters))
        line = Array(text.dropLast(characters).utf8)
        let columns = DisplayWidth.columns(removed)
        write(String(repeating: "\u{8}", count: columns) + String(repeating: " ", count: columns)
            + String(repeating: "\u{8}", count: columns))
    }

    /// Consumes the rest of an escape sequence (`ESC [ … final` or `ESC O x`).
    private func skipEscapeSequence() {
        guard let next = readByte() else { return }
        if next == UInt8(ascii: "O") {
            _ = readByte()
            return
        }
        guard next == UInt8(ascii: "[") else { return }
        while let byte = readByte(), !(0x40...0x7E).contains(byte) {}
    }

    private func write(_ text: String) {
        LiveViewSink.write(text, to: output)
    }
}

extension String {
    /// The text without its last word (and the spaces after it), as Ctrl-W leaves it.
    fileprivate func trimmingTrailingWord() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        while let last = text.last, last != " " { text = text.dropLast() }
        return String(text)
    }
}
