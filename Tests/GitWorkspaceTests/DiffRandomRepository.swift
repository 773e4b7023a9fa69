import Foundation
import MGTestSupport

/// A deterministic pseudo-random generator (SplitMix64) so every generated repository is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds random before/after commits with the git CLI: edits, deletions, renames with and
/// without edits, copies, mode and type changes, binary and empty files, missing final newlines,
/// and paths with spaces, quotes and non-ASCII characters.
struct DiffRandomRepository {
    let repo: TemporaryRepository
    var random: SeededGenerator
    private(set) var paths: [String] = []

    private static let folders = ["", "src/", "src/core/", "docs/", "a b/", "ünï/", "deep/er/still/"]
    private static let names = [
        "main.swift", "util.c", "README.md", "notes.txt", "x", "space name.txt", "quote\"d.txt",
        "tab\tname.txt", "naïve.txt", "data.bin", "config.yaml", "Makefile",
    ]

    init(seed: UInt64) throws {
        repo = try TemporaryRepository()
        random = SeededGenerator(seed: seed)
    }

    /// Random text: lines drawn from a small vocabulary so renamed files stay measurably similar.
    mutating func text(lines: Int) -> String {
        (0..<lines).map { _ in
            let k = Int.random(in: 0..<60, using: &random)
            return "let value\(k) = compute(\(k % 7), \"\(String(repeating: "x", count: k % 13))\")"
        }.joined(separator: "\n") + (Bool.random(using: &random) || lines == 0 ? "\n" : "")
    }

    mutating func freshPath() -> String {
        for _ in 0..<50 {
            let folder = Self.folders.randomElement(using: &random) ?? ""
            let name = Self.names.randomElement(using: &random) ?? "f"
            let path = folder + "\(Int.random(in: 0..<4, using: &random))" + name
            if !paths.contains(path), !paths.contains(where: { $0.hasPrefix(path + "/") || path.hasPrefix($0 + "/") }) {
                return path
            }
        }
        return "fallback-\(paths.count).txt"
    }

    mutating func writeRandomFile(_ path: String) throws {
        let roll = Int.random(in: 0..<20, using: &random)
        if roll == 0 {
            try repo.write(path, "")
        } else if roll == 1 {
            var bytes = [UInt8](repeating: 0, count: Int.random(in: 10..<300, using: &random))
            for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &random) }
            bytes[0] = 0
            try repo.write(path, data: Data(bytes))
        } else if roll == 2 {
            let full = repo.path + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: "target/\(roll)")
        } else {
            try repo.write(path, text(lines: Int.random(in: 1..<40, using: &random)))
        }
        if roll > 2, Int.random(in: 0..<8, using: &random) == 0 { try setExecutable(path, true) }
        paths.append(path)
    }

    func setExecutable(_ path: String, _ on: Bool) throws {
        try FileManager.default.setAttributes([.posixPermissions: on ? 0o755 : 0o644], ofItemAtPath: repo.path + "/" + path)
    }

    func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: repo.path + "/" + path)) != nil
    }

    /// Fills the repository with `count` files and commits; returns the commit id.
    mutating func makeBase(files count: Int) throws -> String {
        for _ in 0..<count { try writeRandomFile(freshPath()) }
        return try repo.commitAll("base")
    }

    /// Applies `operations` random changes and commits; returns the commit id.
    mutating func mutate(operations: Int) throws -> String {
        for _ in 0..<operations {
            guard let path = paths.randomElement(using: &random) else { try writeRandomFile(freshPath()); continue }
            let full = repo.path + "/" + path
            switch Int.random(in: 0..<9, using: &random) {
            case 0:  // delete
                try FileManager.default.removeItem(atPath: full)
                paths.removeAll { $0 == path }
            case 1, 2:  // rename, maybe with an edit
                let target = freshPath()
                try FileManager.default.createDirectory(
                    atPath: (repo.path + "/" + target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                // rename(2), not FileManager.moveItem, which refuses dangling symlinks.
                guard rename(full, repo.path + "/" + target) == 0 else { continue }
                paths.removeAll { $0 == path }
                paths.append(target)
                if Bool.random(using: &random), !isSymlink(target) { try edit(target) }
            case 3:  // copy with an edit
                guard !isSymlink(path) else { continue }
                let target = freshPath()
                try repo.write(target, data: repo.read(path) ?? Data())
                paths.append(target)
                try edit(target)
            case 4:  // mode change
                guard !isSymlink(path) else { continue }
                try setExecutable(path, Bool.random(using: &random))
            case 5:  // type change: file → symlink
                try FileManager.default.removeItem(atPath: full)
                try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: "elsewhere")
            case 6:  // new file
                try writeRandomFile(freshPath())
            default:
                guard !isSymlink(path) else { continue }
                try edit(path)
            }
        }
        return try repo.commitAll("change")
    }

    /// Replaces, inserts or removes a few lines, sometimes dropping the final newline.
    mutating func edit(_ path: String) throws {
        var lines = String(decoding: repo.read(path) ?? Data(), as: UTF8.self).components(separatedBy: "\n")
        for _ in 0..<Int.random(in: 1..<4, using: &random) {
            let position = Int.random(in: 0...lines.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: lines.insert(text(lines: 1).trimmingCharacters(in: .newlines), at: position)
            case 1 where position < lines.count: lines.remove(at: position)
            default: if position < lines.count { lines[position] += " // edited" }
            }
        }
        var joined = lines.joined(separator: "\n")
        if Int.random(in: 0..<4, using: &random) == 0, joined.hasSuffix("\n") { joined.removeLast() }
        try repo.write(path, joined)
    }
}
