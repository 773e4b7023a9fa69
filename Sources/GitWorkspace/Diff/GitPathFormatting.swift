/// Path spelling exactly as git prints it.
///
/// git C-quotes a path (`"\303\274 x.txt"`) when it holds a control character, `"`, `\`, DEL
/// or — with `core.quotePath=true`, git's default — any byte ≥ 0x80; spaces alone do not trigger
/// quoting. Matching this byte for byte is what lets mg's `--numstat` and `--name-status` text
/// equal git's.
public enum GitPathFormatting {
    /// True when git would quote `path`.
    public static func needsQuoting(_ path: String, quotePath: Bool = true) -> Bool {
        path.utf8.contains { escape(for: $0, quotePath: quotePath) != nil }
    }

    /// `path`, C-quoted with surrounding double quotes when git would quote it, else unchanged.
    public static func quoted(_ path: String, quotePath: Bool = true) -> String {
        guard needsQuoting(path, quotePath: quotePath) else { return path }
        var out: [UInt8] = [0x22]
        for byte in path.utf8 {
            if let escaped = escape(for: byte, quotePath: quotePath) {
                out += Array(escaped.utf8)
            } else {
                out.append(byte)
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// `prefix + path` quoted as one unit, as in `diff --git "a/\303\274" "b/\303\274"`.
    public static func quoted(_ path: String, prefix: String, quotePath: Bool = true) -> String {
        quoted(prefix + path, quotePath: quotePath)
    }

    /// The escape sequence git uses for `byte`, `nil` when the byte stands for itself.
    private static func escape(for byte: UInt8, quotePath: Bool) -> String? {
        switch byte {
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x80...0xFF where !quotePath:
            return nil
        case 0x00..<0x20, 0x7F...0xFF:
            let octal = String(byte, radix: 8)
            return "\\" + String(repeating: "0", count: 3 - octal.count) + octal
        default: return nil
        }
    }

    /// git's rename label for `--stat`/`--numstat`: the common leading directories and common
    /// trailing part are factored out (`src/{old => new}/file.c`); when either path needs
    /// quoting, the two quoted paths are joined whole (`"a" => "b"`).
    public static func renameDisplay(from old: String, to new: String, quotePath: Bool = true) -> String {
        if needsQuoting(old, quotePath: quotePath) || needsQuoting(new, quotePath: quotePath) {
            return quoted(old, quotePath: quotePath) + " => " + quoted(new, quotePath: quotePath)
        }
        let a = Array(old.utf8)
        let b = Array(new.utf8)
        // Common prefix, counted only up to (and including) its last slash.
        var prefix = 0
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] {
            if a[i] == 0x2F { prefix = i + 1 }
            i += 1
        }
        // Common suffix, counted from its first slash; it may reuse the prefix's final slash.
        var suffix = 0
        let adjust = prefix > 0 ? 1 : 0
        var ia = a.count
        var ib = b.count
        // Indices ia/ib walk from the virtual terminator (equal on both sides) backwards.
        while ia >= prefix - adjust, ib >= prefix - adjust {
            let ca: UInt8 = ia == a.count ? 0 : a[ia]
            let cb: UInt8 = ib == b.count ? 0 : b[ib]
            guard ca == cb else { break }
            if ca == 0x2F { suffix = a.count - ia }
            if ia == 0 || ib == 0 { break }
            ia -= 1
            ib -= 1
        }
        let aMiddle = max(0, a.count - prefix - suffix)
        let bMiddle = max(0, b.count - prefix - suffix)
        var out: [UInt8] = []
        if prefix + suffix > 0 {
            out += a[0..<prefix]
            out.append(0x7B)  // {
        }
        out += a[prefix..<(prefix + aMiddle)]
        out += Array(" => ".utf8)
        out += b[prefix..<(prefix + bMiddle)]
        if prefix + suffix > 0 {
            out.append(0x7D)  // }
            out += a[(a.count - suffix)...]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
