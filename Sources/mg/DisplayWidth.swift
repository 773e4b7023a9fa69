/// How many terminal columns text takes: East Asian wide and fullwidth characters and emoji
/// take two, combining marks and other zero-width scalars none (they belong to the grapheme
/// before them), everything else one. ANSI escape sequences (`ESC [ … letter`) take none.
///
/// Written here rather than taken from a package: none of the packages mg may use measures
/// display width, and the live panel needs only this much — the wide ranges of Unicode's
/// East Asian Width property (W and F) plus the stdlib's emoji-presentation property.
enum DisplayWidth {
    /// Columns of `text` on a terminal.
    static func columns<S: StringProtocol>(_ text: S) -> Int {
        var total = 0
        var escape = EscapeState.none
        for character in text {
            if escape.consume(character) { continue }
            total += columns(of: character)
        }
        return total
    }

    /// Columns of one grapheme (0, 1 or 2).
    static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }  // emoji presentation selector
        if first.properties.isEmojiPresentation || isWide(first.value) { return 2 }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark {
            return 0
        }
        return 1
    }

    /// The longest prefix of `text` that fits in `limit` columns.
    static func prefix(_ text: String, columns limit: Int) -> String {
        var used = 0
        var out = ""
        for character in text {
            let width = columns(of: character)
            if used + width > limit { break }
            used += width
            out.append(character)
        }
        return out
    }

    /// East Asian Width W or F (Unicode 15), the ranges that matter on a terminal.
    static func isWide(_ value: UInt32) -> Bool {
        for range in wideRanges where range.contains(value) { return true }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693,
        0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE,
        0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA,
        0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C,
        0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797, 0x27B0...0x27B0,
        0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, CJK compatibility
        0x3400...0x4DBF,  // CJK extension A
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul Jamo extended A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms, small forms
        0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms
        0x16FE0...0x16FE4, 0x17000...0x18CFF,  // Tangut
        0x1B000...0x1B2FF,  // Kana supplement and extensions, Nushu
        0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,  // pictographs
        0x20000...0x2FFFD, 0x30000...0x3FFFD,  // CJK extensions B and later
    ]

    /// Skips `ESC [ parameters final-byte` sequences.
    private enum EscapeState {
        case none, sawEscape, inSequence

        /// True when `character` belongs to an escape sequence (and takes no columns).
        mutating func consume(_ character: Character) -> Bool {
            switch self {
            case .none:
                guard character == "\u{1B}" else { return false }
                self = .sawEscape
                return true
            case .sawEscape:
                self = character == "[" ? .inSequence : .none
                return true
            case .inSequence:
                if let value = character.asciiValue, (0x40...0x7E).contains(value) { self = .none }
                return true
            }
        }
    }
}
