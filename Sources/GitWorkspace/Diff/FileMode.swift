/// A git file mode as stored in trees and the index: the one type for modes in mg (never a raw
/// octal number outside this file).
public struct FileMode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The numeric mode (e.g. `0o100644`).
    public let rawValue: UInt32

    /// Wraps a raw mode.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// A regular, non-executable file.
    public static let regular = FileMode(rawValue: 0o100644)
    /// An executable file.
    public static let executable = FileMode(rawValue: 0o100755)
    /// A symbolic link (its content is the link target).
    public static let symlink = FileMode(rawValue: 0o120000)
    /// A submodule entry (its content is the recorded commit).
    public static let gitlink = FileMode(rawValue: 0o160000)
    /// A subtree (a folder).
    public static let directory = FileMode(rawValue: 0o040000)

    /// The mode of a regular file, executable or not.
    public static func file(executable: Bool) -> FileMode { executable ? .executable : .regular }

    /// The type bits (`S_IFMT`): regular file, link, submodule or folder.
    private static let typeMask: UInt32 = 0o170000

    /// True for regular and executable files (what git calls `S_ISREG`).
    public var isRegularFile: Bool { rawValue & Self.typeMask == Self.regular.rawValue & Self.typeMask }
    /// True for an executable regular file.
    public var isExecutable: Bool { self == .executable }
    /// True for a symbolic link.
    public var isSymlink: Bool { self == .symlink }
    /// True for a submodule entry.
    public var isGitlink: Bool { self == .gitlink }
    /// True for a subtree.
    public var isDirectory: Bool { self == .directory }

    /// Whether both are the same kind of entry (file, link, submodule, folder), whatever the
    /// executable bit: a change between kinds is a type change.
    public func hasSameType(as other: FileMode) -> Bool {
        rawValue & Self.typeMask == other.rawValue & Self.typeMask
    }

    /// Six octal digits, as git prints modes.
    public var description: String {
        let octal = String(rawValue, radix: 8)
        return String(repeating: "0", count: max(0, 6 - octal.count)) + octal
    }
}
