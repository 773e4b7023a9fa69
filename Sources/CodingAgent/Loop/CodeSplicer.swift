/// Places a code snippet into the file it came from: each top-level unit of the snippet (a
/// `def`, a function, a class) replaces the unit of the file that starts with the same line.
///
/// Small models asked for a fix often answer with the one function they changed. Replacing the
/// whole file with it would delete the rest; placing it by its first line keeps the file whole.
/// Units are found by indentation (a unit runs until the next line indented no deeper than its
/// first, a closing `}` at that depth included), which suits Python and brace languages alike.
enum CodeSplicer {
    /// The file with the snippet's units in place of the file's, as text; `nil` when no unit's
    /// first line is found in the file.
    static func splice(_ snippet: [String], into file: [String]) -> String? {
        let units = self.units(of: snippet)
        guard !units.isEmpty else { return nil }
        var result = file
        var matched = false
        var insertionPoint: Int?
        var pendingImports: [String] = []
        for unit in units {
            if let (start, end) = region(for: unit, in: result) {
                let indent = indentation(of: result[start]) - indentation(of: unit[headerIndex(unit, in: result) ?? 0])
                let replacement = unit.map { reindent($0, by: indent) }
                result.replaceSubrange(start...end, with: replacement)
                insertionPoint = start + replacement.count
                matched = true
            } else if unit.count == 1, isImport(unit[0]) {
                if !result.contains(where: { $0.trimmingCharacters(in: .whitespaces) == unit[0].trimmingCharacters(in: .whitespaces) }) {
                    pendingImports.append(unit[0].trimmingCharacters(in: .whitespaces))
                }
            } else if let point = insertionPoint {
                result.insert(contentsOf: [""] + unit, at: point)
                insertionPoint = point + unit.count + 1
            } else {
                return nil
            }
        }
        guard matched else { return nil }
        result.insert(contentsOf: pendingImports, at: 0)
        var text = result.joined(separator: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    /// The snippet split at lines of its smallest indentation that open something (not a
    /// closing bracket), trailing blank lines dropped.
    static func units(of snippet: [String]) -> [[String]] {
        let content = snippet.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let base = content.map(indentation).min() else { return [] }
        var units: [[String]] = []
        for line in snippet {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let opensUnit = !trimmed.isEmpty && indentation(of: line) == base && !isCloser(trimmed)
            let continuesDecorator = units.last?.last.map { $0.trimmingCharacters(in: .whitespaces).hasPrefix("@") } ?? false
            if opensUnit, !continuesDecorator || units.isEmpty {
                units.append([line])
            } else if units.isEmpty {
                continue
            } else {
                units[units.count - 1].append(line)
            }
        }
        return units.map { unit in
            var trimmed = unit
            while let last = trimmed.last, last.trimmingCharacters(in: .whitespaces).isEmpty { trimmed.removeLast() }
            return trimmed
        }
    }

    /// The first line of `unit` found in `file`: its first line, else its first line that is
    /// not a comment or decorator.
    static func headerIndex(_ unit: [String], in file: [String]) -> Int? {
        let candidates = unit.indices.filter { index in
            let trimmed = unit[index].trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && (index == 0 || !(trimmed.hasPrefix("#") || trimmed.hasPrefix("//") || trimmed.hasPrefix("@")))
        }
        return candidates.prefix(2).first { index in
            file.contains { $0.trimmingCharacters(in: .whitespaces) == unit[index].trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The lines of `file` the unit replaces: from the line matching its header (and the
    /// unit's lines before the header) to the end of that unit in the file.
    static func region(for unit: [String], in file: [String]) -> (Int, Int)? {
        guard let header = headerIndex(unit, in: file) else { return nil }
        let target = unit[header].trimmingCharacters(in: .whitespaces)
        guard let line = file.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == target }) else { return nil }
        let depth = indentation(of: file[line])
        var end = line
        var cursor = line + 1
        while cursor < file.count {
            let trimmed = file[cursor].trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                cursor += 1
                continue
            }
            let indent = indentation(of: file[cursor])
            if indent > depth {
                end = cursor
            } else if indent == depth, isCloser(trimmed) {
                end = cursor
                break
            } else {
                break
            }
            cursor += 1
        }
        // Decorators or comments the unit repeats above its header replace the file's copies.
        var start = line
        for lead in unit[..<header].reversed() where start > 0 {
            if file[start - 1].trimmingCharacters(in: .whitespaces) == lead.trimmingCharacters(in: .whitespaces) {
                start -= 1
            }
        }
        return (start, end)
    }

    static func indentation(of line: String) -> Int {
        line.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
    }

    static func reindent(_ line: String, by delta: Int) -> String {
        guard delta != 0, !line.trimmingCharacters(in: .whitespaces).isEmpty else { return line }
        if delta > 0 { return String(repeating: " ", count: delta) + line }
        let removable = min(-delta, line.prefix { $0 == " " }.count)
        return String(line.dropFirst(removable))
    }

    static func isCloser(_ trimmed: String) -> Bool {
        trimmed.hasPrefix("}") || trimmed.hasPrefix(")") || trimmed.hasPrefix("]") || trimmed == "end"
    }

    static func isImport(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return ["import ", "from ", "#include", "use ", "using "].contains { trimmed.hasPrefix($0) }
    }
}
