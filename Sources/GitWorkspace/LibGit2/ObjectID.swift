import CLibGit2

/// A git object id (SHA-1), held as lowercase hex so it is Sendable, Codable and printable.
public struct ObjectID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// 40 lowercase hex digits.
    public let hex: String

    /// Validates and normalises `hex`; `nil` when it is not a full object id.
    public init?(hex: String) {
        let lower = hex.lowercased()
        guard lower.count == 40, lower.allSatisfy({ $0.isHexDigit }) else { return nil }
        self.hex = lower
    }

    init(_ oid: git_oid) {
        var copy = oid
        var digits = [CChar](repeating: 0, count: 40)
        _ = git_oid_fmt(&digits, &copy)
        self.hex = String(decoding: digits.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    init(_ pointer: UnsafePointer<git_oid>) {
        self.init(pointer.pointee)
    }

    /// The libgit2 representation.
    var raw: git_oid {
        var oid = git_oid()
        _ = git_oid_fromstr(&oid, hex)
        return oid
    }

    /// The first 12 digits, for messages.
    public var short: String { String(hex.prefix(12)) }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

    /// The id of the empty tree (the base of an unborn repository).
    public static let emptyTree = ObjectID(validated: "4b825dc642cb6eb9a060e54bf8d69288fbee4904")

    private init(validated hex: String) {
        self.hex = hex
    }
}
